import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * The content identity Kiln records: sha256, hex. node:crypto is loaded on first use, so a
 * command that ends up hashing nothing (doctor answering from its cache) never loads it.
 */
export function hashBytes(data: string | Uint8Array): string {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(data).digest('hex');
}

export async function hashFile(file: string): Promise<string> {
  return hashBytes(await readFile(file));
}

export function hashFileSync(file: string): string {
  return hashBytes(readFileSync(file));
}
