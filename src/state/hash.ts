import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** The content identity Kiln records: sha256, hex. */
export function hashBytes(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function hashFile(file: string): Promise<string> {
  return hashBytes(await readFile(file));
}

export function hashFileSync(file: string): string {
  return hashBytes(readFileSync(file));
}
