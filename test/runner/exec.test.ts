import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKilnError } from '../../src/errors.js';
import { runProcess } from '../../src/runner/exec.js';
import { JobPool } from '../../src/runner/jobs.js';
import { isRunning } from '../../src/runner/process-groups.js';

/**
 * A program that starts a grandchild; the grandchild (ignoring SIGTERM when asked) writes its
 * pid once ready, and both run until stopped.
 */
const PARENT = `
const { spawn } = require('node:child_process');
const body =
  (process.env.IGNORE_TERM ? "process.on('SIGTERM', () => {});" : '') +
  "const fs = require('node:fs'); const f = process.argv[1];" +
  "fs.writeFileSync(f + '.tmp', String(process.pid)); fs.renameSync(f + '.tmp', f);" +
  'setInterval(() => {}, 1000);';
spawn(process.execPath, ['-e', body, process.argv[1]], { stdio: 'ignore' });
setInterval(() => {}, 1000);
`;

async function untilExists(file: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.runIf(process.platform !== 'win32')('runProcess: stopping a program', () => {
  it.each([
    ['on SIGTERM', {}],
    ['with SIGKILL when it ignores SIGTERM', { IGNORE_TERM: '1' }],
  ])(
    'an abort stops the whole process group %s',
    async (_how, extraEnv) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-exec-'));
      const pidFile = path.join(dir, 'grandchild');
      const controller = new AbortController();
      const recorded: string[] = [];
      const run = runProcess(
        process.execPath,
        ['-e', PARENT, pidFile],
        { env: extraEnv },
        {
          pool: new JobPool(1),
          env: process.env,
          cwd: dir,
          signal: controller.signal,
          onDirective: () => {},
          onSpawn: () => {},
          onOutput: () => {},
          children: {
            add: (pgid) => recorded.push(`add ${pgid}`),
            remove: (pgid) => recorded.push(`remove ${pgid}`),
          },
        },
      ).catch((e: unknown) => e);
      await untilExists(pidFile);
      const grandchild = Number(readFileSync(pidFile, 'utf8'));
      expect(isRunning(grandchild)).toBe(true);
      controller.abort();
      const error = await run;
      expect(isKilnError(error) && error.code).toBe('INTERRUPTED');
      expect(isRunning(grandchild)).toBe(false);
      // The group was recorded at spawn and forgotten once stopped.
      expect(recorded).toHaveLength(2);
      expect(recorded[0]).toMatch(/^add \d+$/);
      expect(recorded[1]).toBe(recorded[0]!.replace('add', 'remove'));
    },
    30_000,
  );
});
