import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { pidExists } from '../../src/util/process.js';
import { KILN_BIN, REPO_ROOT } from './package.js';

/** The gate wrapper (test/support/gate-cc.mjs): holds a matching compile or archive until `open()`. */
export const GATE_CC = path.join(REPO_ROOT, 'test', 'support', 'gate-cc.mjs');

export interface Gate {
  dir: string;
  /** Environment for a build whose runs mentioning `match` stop at the gate. */
  env(
    match: string,
    options?: { when?: 'before' | 'after'; real?: string },
  ): Record<string, string>;
  /** Resolves with the pid of the gated process once the `n`th run reached the gate. */
  reached(n?: number): Promise<number>;
  open(): void;
}

export function makeGate(): Gate {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-gate-'));
  return {
    dir,
    env: (match, options = {}) => ({
      GATE_DIR: dir,
      GATE_MATCH: match,
      GATE_WHEN: options.when ?? 'after',
      GATE_REAL: options.real ?? 'gcc',
    }),
    reached: async (n = 1) => {
      const file = path.join(dir, n === 1 ? 'started' : `started-${n}`);
      await waitForFile(file);
      return Number(readFileSync(file, 'utf8'));
    },
    open: () => writeFileSync(path.join(dir, 'go'), ''),
  };
}

/** Waits until `file` exists (a wrapper or the build wrote it); fails after `timeoutMs`. */
export async function waitForFile(file: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${file}`);
    await sleep(10);
  }
}

/** Starts the real `kiln` CLI without waiting for it. */
export function startKiln(
  cwd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
) {
  return execa(process.execPath, [KILN_BIN, ...args], {
    cwd,
    env: { NO_COLOR: '1', ...env },
    reject: false,
    all: true,
  });
}

/** True while a process with this pid exists. */
export const alive = pidExists;
