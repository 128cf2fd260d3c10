import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isKilnError } from '../../src/errors.js';
import { acquireLock } from '../../src/runner/lock.js';
import { isRunning, processStartTime } from '../../src/runner/process-groups.js';
import { hashBytes } from '../../src/state/index.js';
import { REPO_ROOT } from '../support/package.js';

const linux = process.platform === 'linux';

function outDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-lock-'));
  mkdirSync(path.join(dir, '.kiln'));
  return dir;
}

const lockFile = (dir: string) => path.join(dir, '.kiln', 'lock');

/** A pid that no longer runs: a child that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid;
}

function owner(pid: number, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ pid, host: os.hostname(), since: Date.now() - 60_000, id: 'x', ...extra })}\n`;
}

/** Places a lock file whose mtime is well past any grace period (left behind long ago). */
function placeOld(file: string, text: string): void {
  writeFileSync(file, text);
  const old = new Date(Date.now() - 60_000);
  utimesSync(file, old, old);
}

const holder = (dir: string) => JSON.parse(readFileSync(lockFile(dir), 'utf8')).pid;

const spawned: ChildProcess[] = [];
afterEach(() => {
  for (const c of spawned.splice(0)) c.kill('SIGKILL');
});

/** A process leading its own group that idles until killed (a compiler a build left running). */
function idleGroup(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
    detached: true,
    stdio: 'ignore',
  });
  spawned.push(child);
  return child;
}

describe('acquireLock', () => {
  it('takes over a lock whose owner is dead, without waiting', async () => {
    const dir = outDir();
    placeOld(lockFile(dir), owner(deadPid(), { start: '1' }));
    const waits: string[] = [];
    const lock = await acquireLock(dir, (m) => waits.push(m));
    expect(waits).toEqual([]);
    expect(holder(dir)).toBe(process.pid);
    await lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not a lock \x00\xff'],
    ['truncated JSON', '{"pid": 12'],
    ['JSON of the wrong shape', '{"pid": "me"}'],
  ])('takes over an %s lock file', async (_what, text) => {
    const dir = outDir();
    placeOld(lockFile(dir), text);
    const lock = await acquireLock(dir, () => {});
    expect(holder(dir)).toBe(process.pid);
    await lock.release();
  });

  it('takes over a just-written garbage lock once its grace period is over', async () => {
    const dir = outDir();
    writeFileSync(lockFile(dir), '');
    const lock = await acquireLock(dir, () => {});
    expect(holder(dir)).toBe(process.pid);
    await lock.release();
  });

  it.runIf(linux)(
    'takes over a lock naming a live but unrelated process (the pid was reused)',
    async () => {
      const dir = outDir();
      const live = process.ppid;
      expect(isRunning(live)).toBe(true);
      placeOld(lockFile(dir), owner(live, { start: '1' }));
      const waits: string[] = [];
      const lock = await acquireLock(dir, (m) => waits.push(m));
      expect(waits).toEqual([]);
      expect(holder(dir)).toBe(process.pid);
      await lock.release();
    },
  );

  it('waits for a live owner, says where the lock is and who holds it, then gets it', async () => {
    const dir = outDir();
    const first = await acquireLock(dir, () => {});
    let told: (m: string) => void = () => {};
    const message = new Promise<string>((resolve) => {
      told = resolve;
    });
    let acquired = false;
    const second = acquireLock(dir, (m) => told(m)).then((lock) => {
      acquired = true;
      return lock;
    });
    const text = await message;
    expect(text).toMatch(
      new RegExp(
        `^Waiting for another kiln build \\(pid ${process.pid}, started \\d\\d:\\d\\d:\\d\\d\\)`,
      ),
    );
    expect(text).toContain(`lock ${lockFile(dir)}; if no build is running, delete that file`);
    expect(acquired).toBe(false);
    await first.release();
    const lock = await second;
    expect(holder(dir)).toBe(process.pid);
    await lock.release();
  });

  it('stops waiting with INTERRUPTED when aborted', async () => {
    const dir = outDir();
    const first = await acquireLock(dir, () => {});
    const controller = new AbortController();
    const second = acquireLock(dir, () => controller.abort(), controller.signal);
    const error = await second.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKilnError(error) && error.code).toBe('INTERRUPTED');
    expect((error as Error).message).toBe(
      `Interrupted while waiting for the lock ${lockFile(dir)}`,
    );
    // The owner's lock is untouched.
    expect(holder(dir)).toBe(process.pid);
    await first.release();
  });

  it('waits for a lock held on another host (it cannot be checked) and names the host', async () => {
    const dir = outDir();
    placeOld(lockFile(dir), owner(deadPid(), { host: 'elsewhere.example' }));
    const controller = new AbortController();
    const waits: string[] = [];
    const error = await acquireLock(
      dir,
      (m) => {
        waits.push(m);
        controller.abort();
      },
      controller.signal,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKilnError(error) && error.code).toBe('INTERRUPTED');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toContain(' on elsewhere.example, started ');
    expect(waits[0]).toContain('if no build is running on elsewhere.example, delete that file');
  });

  it('recovers a takeover guard left by a waiter that died', async () => {
    const dir = outDir();
    const stale = owner(deadPid(), { start: '1' });
    placeOld(lockFile(dir), stale);
    const key = `${statSync(lockFile(dir)).ino}:${stale}`;
    const guard = `${lockFile(dir)}.takeover-${hashBytes(key).slice(0, 16)}`;
    placeOld(guard, owner(deadPid(), { start: '1' }));
    const lock = await acquireLock(dir, () => {});
    expect(holder(dir)).toBe(process.pid);
    expect(existsSync(guard)).toBe(false);
    await lock.release();
  });

  it.runIf(linux)(
    'never kills a recorded child group whose leader has another start time',
    async () => {
      const dir = outDir();
      const child = idleGroup();
      const pid = child.pid!;
      mkdirSync(path.join(dir, '.kiln', 'children'));
      writeFileSync(path.join(dir, '.kiln', 'children', String(pid)), '1');
      placeOld(lockFile(dir), owner(deadPid(), { start: '1' }));
      const lock = await acquireLock(dir, () => {});
      expect(isRunning(pid, processStartTime(pid))).toBe(true);
      expect(existsSync(path.join(dir, '.kiln', 'children', String(pid)))).toBe(false);
      await lock.release();
    },
  );

  it.runIf(linux)(
    'leaves the groups of a build that still runs alone (its lock was deleted by hand)',
    async () => {
      const dir = outDir();
      const child = idleGroup();
      const pid = child.pid!;
      const record = path.join(dir, '.kiln', 'children', String(pid));
      mkdirSync(path.dirname(record));
      const me = `${process.pid} ${processStartTime(process.pid)}`;
      writeFileSync(record, `${processStartTime(pid)} ${me}\n`);
      const lock = await acquireLock(dir, () => {});
      expect(isRunning(pid, processStartTime(pid))).toBe(true);
      expect(existsSync(record)).toBe(true);
      await lock.release();
    },
  );

  it.runIf(linux)(
    'kills the recorded child groups of the dead holder it takes over from',
    async () => {
      const dir = outDir();
      const child = idleGroup();
      const pid = child.pid!;
      const start = processStartTime(pid)!;
      mkdirSync(path.join(dir, '.kiln', 'children'));
      writeFileSync(path.join(dir, '.kiln', 'children', String(pid)), start);
      placeOld(lockFile(dir), owner(deadPid(), { start: '1' }));
      const exited = new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      const lock = await acquireLock(dir, () => {});
      expect(await exited).toBe('SIGKILL');
      await lock.release();
    },
  );
});

/**
 * A contender in its own process: waits for the start signal, takes the lock, logs `enter`,
 * holds it until every contender has either waited for it or had its turn (so all of them
 * are racing while it is held), logs `exit` and releases.
 */
const CONTENDER = `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const [lockModule, outDir, log, go, total] = process.argv.slice(2);
const { acquireLock } = await import(lockModule);
const mark = (what) => appendFileSync(log, what + ' ' + process.pid + '\\n');
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
mark('ready');
while (!existsSync(go)) await tick();
const lock = await acquireLock(outDir, () => mark('wait'));
mark('enter');
const arrived = () =>
  new Set(
    readFileSync(log, 'utf8')
      .split('\\n')
      .filter((l) => l.startsWith('wait ') || l.startsWith('enter '))
      .map((l) => l.split(' ')[1]),
  ).size;
while (arrived() < Number(total)) await tick();
mark('exit');
await lock.release();
`;

describe('acquireLock across processes', () => {
  it('gives a stale lock to exactly one of 5 racing processes at a time', async () => {
    const dir = outDir();
    const work = mkdtempSync(path.join(os.tmpdir(), 'kiln-lock-race-'));
    const script = path.join(work, 'contender.mjs');
    const log = path.join(work, 'log');
    const go = path.join(work, 'go');
    writeFileSync(script, CONTENDER);
    writeFileSync(log, '');
    placeOld(lockFile(dir), owner(deadPid(), { start: '1' }));
    // Separate processes load the built module, like the CLI tests run the built bin.
    const lockModule = pathToFileURL(path.join(REPO_ROOT, 'dist/runner/lock.js')).href;
    const N = 5;
    const children = Array.from({ length: N }, () => {
      const child = spawn(process.execPath, [script, lockModule, dir, log, go, String(N)], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      spawned.push(child);
      let stderr = '';
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      return new Promise<{ code: number | null; stderr: string }>((resolve) =>
        child.on('exit', (code) => resolve({ code, stderr })),
      );
    });
    const lines = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
    while (lines().filter((l) => l.startsWith('ready ')).length < N) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    writeFileSync(go, '');
    for (const r of await Promise.all(children)) expect(r.code, r.stderr).toBe(0);

    const turns = lines().filter((l) => /^(enter|exit) /.test(l));
    expect(turns).toHaveLength(2 * N);
    for (let i = 0; i < turns.length; i += 2) {
      const pid = turns[i]!.split(' ')[1];
      expect(turns.slice(i, i + 2), turns.join('\n')).toEqual([`enter ${pid}`, `exit ${pid}`]);
    }
    expect(new Set(turns.map((l) => l.split(' ')[1])).size).toBe(N);
    expect(existsSync(lockFile(dir))).toBe(false);
  }, 60_000);
});
