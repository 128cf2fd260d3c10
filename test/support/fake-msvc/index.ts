import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeCall, installRecordingFake } from '../fake-cc/index.js';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-msvc.mjs');

export interface FakeMsvc {
  /** Directory holding the fake tools (and `node`); use it as the whole PATH. */
  dir: string;
  log: string;
  calls(): FakeCall[];
}

/** Installs the recording MSVC-style fake under each of `names` in a fresh temp dir. */
export function installFakeMsvc(names: readonly string[]): FakeMsvc {
  return installRecordingFake(SCRIPT, names, 'kiln-fake-msvc-');
}
