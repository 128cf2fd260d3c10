import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-cc.mjs');

export interface FakeCall {
  name: string;
  args: string[];
}

export interface FakeToolchain {
  /** Directory holding the fake tools (and `node`); use it as the whole PATH. */
  dir: string;
  log: string;
  /** Every recorded call, in order. */
  calls(): FakeCall[];
  /** Compile calls only (those with `-c`). */
  compiles(): FakeCall[];
}

/** Installs the recording fake under each of `names` in a fresh temp dir. */
export function installFakeToolchain(names: readonly string[]): FakeToolchain {
  const fake = installRecordingFake(SCRIPT, names, 'kiln-fake-cc-');
  return { ...fake, compiles: () => fake.calls().filter((c) => c.args.includes('-c')) };
}

/**
 * Links the recording `script` under each of `names` in a fresh temp dir, with the log its calls
 * go to. Shared by the GNU-style and MSVC-style fakes.
 */
export function installRecordingFake(
  script: string,
  names: readonly string[],
  prefix: string,
): Omit<FakeToolchain, 'compiles'> {
  chmodSync(script, 0o755);
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const name of names) symlinkSync(script, path.join(dir, name));
  // The fakes start with `#!/usr/bin/env node`: node must be on the PATH they run with, even when
  // a test's PATH holds nothing else (so no real compiler is found by accident).
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

/** Asserts `a` appears before `b` (last positions, like cc-rs's must_have_in_order). */
export function indexOfLast(args: readonly string[], flag: string): number {
  return args.lastIndexOf(flag);
}
