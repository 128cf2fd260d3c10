import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeCall } from '../fake-cc/index.js';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-msvc.mjs');

export interface FakeMsvc {
  /** Directory holding the fake tools (and `node`); use it as the whole PATH. */
  dir: string;
  log: string;
  calls(): FakeCall[];
}

/** Installs the recording MSVC-style fake under each of `names` in a fresh temp dir. */
export function installFakeMsvc(names: readonly string[]): FakeMsvc {
  chmodSync(SCRIPT, 0o755);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-fake-msvc-'));
  for (const name of names) symlinkSync(SCRIPT, path.join(dir, name));
  symlinkSync(process.execPath, path.join(dir, 'node'));
  const log = path.join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  const calls = (): FakeCall[] =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FakeCall);
  return { dir, log, calls };
}
