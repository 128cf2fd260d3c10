import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { writeFileAtomic } from './atomic.js';

/**
 * One kind of state file: a name (so a file of another kind is never misread), a version (an
 * older or newer layout is "nothing known"), and a shape check of the data.
 */
export interface StateKind<T> {
  kind: string;
  version: number;
  /** True when `data` has the shape T; anything else is treated as no state at all. */
  valid(data: unknown): data is T;
}

interface Envelope {
  kind: string;
  version: number;
  data: unknown;
}

function unwrap<T>(text: string, spec: StateKind<T>): T | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const env = parsed as Partial<Envelope> | null;
  if (!env || typeof env !== 'object' || env.kind !== spec.kind || env.version !== spec.version) {
    return undefined;
  }
  return spec.valid(env.data) ? env.data : undefined;
}

/**
 * Reads a state file. Missing, unreadable (a directory, no permission), torn, foreign,
 * older-format or wrongly shaped all mean "nothing known": that only costs a rebuild, and can
 * never make a stale output look current.
 */
export function readStateSync<T>(file: string, spec: StateKind<T>): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return unwrap(text, spec);
}

/** As `readStateSync` (Kiln's state files are small: a thread-pool read costs more than it). */
export async function readState<T>(file: string, spec: StateKind<T>): Promise<T | undefined> {
  return readStateSync(file, spec);
}

/** Writes a state file atomically (readers see the old one or the new one, never a torn one). */
export function writeState<T>(file: string, spec: StateKind<T>, data: T): Promise<void> {
  const envelope: Envelope = { kind: spec.kind, version: spec.version, data };
  return writeFileAtomic(file, `${JSON.stringify(envelope)}\n`);
}

export function removeState(file: string): Promise<void> {
  return rm(file, { force: true, recursive: true });
}

/** Shape-check helpers for `valid`, small enough for the fresh path (no schema library). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const isStamp = (v: unknown): boolean =>
  isRecord(v) &&
  (v.hash === null || typeof v.hash === 'string') &&
  typeof v.size === 'number' &&
  typeof v.mtimeMs === 'number';

/** A record whose every value passes `each`. */
export const isRecordOf = (v: unknown, each: (value: unknown) => boolean): boolean =>
  isRecord(v) && Object.values(v).every(each);

export const isStampMap = (v: unknown): boolean => isRecordOf(v, isStamp);

export const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

export const isStringMap = (v: unknown): v is Record<string, string> =>
  isRecordOf(v, (s) => typeof s === 'string');

/** A record of strings and nulls: the environment and tools a fingerprint saw (null: unset, absent). */
export const isNullableStringMap = (v: unknown): v is Record<string, string | null> =>
  isRecordOf(v, (s) => s === null || typeof s === 'string');
