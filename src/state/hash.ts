import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * The content identity Kiln records: sha256, hex. node:crypto is loaded on first use, so a
 * command that ends up hashing nothing (doctor answering from its cache) never loads it. Its
 * one-shot `hash` makes no Hash object: a quarter of `createHash`'s cost for the short strings
 * a build hashes by the hundred (command lines, cache keys).
 */
export function hashBytes(data: string | Uint8Array): string {
  return process.getBuiltinModule('node:crypto').hash('sha256', data, 'hex');
}

/**
 * Files up to this size are read with one synchronous call: `fs/promises`' readFile takes four
 * thread-pool round trips (open, fstat, read, close), which cost more than reading a header.
 */
const SYNC_READ_MAX = 1 << 20;

/** The hash of `file`; `size`, when the caller has just stat-ed it, picks the cheaper read. */
export async function hashFile(file: string, size?: number): Promise<string> {
  if (size !== undefined && size <= SYNC_READ_MAX) return hashFileSync(file);
  return hashBytes(await readFile(file));
}

export function hashFileSync(file: string): string {
  return hashBytes(readFileSync(file));
}
