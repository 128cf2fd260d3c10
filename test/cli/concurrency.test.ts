import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { outDirFor } from '../../src/location/index.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import { isRunning } from '../../src/runner/process-groups.js';
import { hostTriple, parseTriple } from '../../src/target/triple.js';
import { KILN_BIN, kiln, makePackage, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';

const WRAPPER = path.join(REPO_ROOT, 'test/support/blocking-cc.mjs');
chmodSync(WRAPPER, 0o755);

const CONFIG = `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'demo', sources: ['src/*.c'] })] });
`;

/** A package with a two-source static library, and a scratch folder for the wrapper's files. */
function fixture() {
  const root = makePackage({
    'build.config.ts': CONFIG,
    'src/one.c': 'int one(void) { return 1; }\n',
    'src/two.c': 'int two(void) { return 2; }\n',
  });
  const work = mkdtempSync(path.join(os.tmpdir(), 'kiln-conc-'));
  const outDir = outDirFor(root, parseTriple(hostTriple()).triple, 'release');
  const log = path.join(work, 'compiles.jsonl');
  writeFileSync(log, '');
  const release = path.join(work, 'release');
  return {
    root,
    outDir,
    lock: path.join(outDir, '.kiln', 'lock'),
    log,
    release,
    env: { CC: WRAPPER, BLOCK_LOG: log, BLOCK_UNTIL: release },
    compiles: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { ev: string; pid: number; kiln: number }),
  };
}

interface Running {
  child: ChildProcess;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Starts the real CLI without waiting for it, so a test can watch its output as it runs. */
function startKiln(cwd: string, args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [KILN_BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, pid: child.pid!, stdout: () => stdout, stderr: () => stderr, done };
}

/** Polls until `ready()` holds; fails naming `what` after a minute. Orders steps, asserts nothing. */
async function until(what: string, ready: () => boolean, details = () => ''): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${details()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Fails when compiles of two different kiln processes were ever running at the same time. */
function expectNoOverlap(compiles: { ev: string; kiln: number }[]): void {
  const open = new Map<number, number>();
  for (const c of compiles) {
    if (c.ev === 'start') {
      const others = [...open].filter(([k, n]) => k !== c.kiln && n > 0);
      expect(others, JSON.stringify(compiles)).toEqual([]);
      open.set(c.kiln, (open.get(c.kiln) ?? 0) + 1);
    } else if (c.ev === 'end') {
      open.set(c.kiln, (open.get(c.kiln) ?? 0) - 1);
    }
  }
}

function placeOld(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  const old = new Date(Date.now() - 60_000);
  utimesSync(file, old, old);
}

const deadOwner = () =>
  JSON.stringify({
    pid: spawnSync(process.execPath, ['-e', '0']).pid,
    start: '1',
    host: os.hostname(),
    since: Date.now() - 60_000,
    id: 'dead',
  });

function expectValidManifest(outDir: string): void {
  const manifest = manifestSchema().parse(
    JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')),
  );
  const lib = manifest.artifacts.find((a) => a.path.endsWith('libdemo.a'));
  expect(lib, JSON.stringify(manifest.artifacts)).toBeDefined();
  expect(existsSync(lib!.path)).toBe(true);
}

const test = itWith('gcc', 'ar');

describe('kiln build: five concurrent builds of one package', () => {
  test.each([
    ['no lock', undefined],
    ['a stale lock of a dead build', deadOwner],
    ['an empty lock', () => ''],
    ['a garbage lock', () => '\x00\x01 not a lock'],
  ])(
    'with %s: one compiles, the others wait and find it fresh',
    async (_what, lock) => {
      const f = fixture();
      if (lock) placeOld(f.lock, lock());
      const runs = Array.from({ length: 5 }, () => startKiln(f.root, ['build'], f.env));
      const waiting = () =>
        runs.filter((r) => r.stderr().includes('Waiting for another kiln build'));
      // The compiles of whichever build got the lock hold it until every other build is waiting.
      await until(
        'one compile and four waiting builds',
        () => f.compiles().some((c) => c.ev === 'start') && waiting().length === 4,
        () => runs.map((r) => r.stdout() + r.stderr()).join('\n---\n'),
      );
      writeFileSync(f.release, '');
      const results = await Promise.all(runs.map((r) => r.done));
      for (const [i, r] of results.entries()) {
        expect(r.code, runs[i]!.stdout() + runs[i]!.stderr()).toBe(0);
      }

      const built = runs.filter((r) => r.stdout().includes('Dirty'));
      expect(built).toHaveLength(1);
      const others = runs.filter((r) => r !== built[0]);
      for (const r of others) {
        expect(r.stdout()).toMatch(/^Fresh fixture-pkg/m);
        expect(r.stderr()).toContain(`lock ${f.lock}; if no build is running, delete that file`);
        expect(r.stderr()).toContain(`(pid ${built[0]!.pid}, started `);
      }
      const compiles = f.compiles();
      expect(new Set(compiles.map((c) => c.kiln))).toEqual(new Set([built[0]!.pid]));
      expect(compiles.filter((c) => c.ev === 'start')).toHaveLength(2);
      expect(compiles.filter((c) => c.ev === 'end')).toHaveLength(2);
      expectNoOverlap(compiles);
      expectValidManifest(f.outDir);
      expect(existsSync(f.lock)).toBe(false);
    },
    180_000,
  );
});

describe('kiln build: waiting for the lock', () => {
  test('Ctrl-C while waiting says so and exits 130; the holder carries on', async () => {
    const f = fixture();
    const holder = startKiln(f.root, ['build'], f.env);
    await until('the holder to compile', () => f.compiles().some((c) => c.ev === 'start'));
    const waiter = startKiln(f.root, ['build'], f.env);
    await until('the second build to wait', () =>
      waiter.stderr().includes('Waiting for another kiln build'),
    );
    waiter.child.kill('SIGINT');
    const w = await waiter.done;
    expect(w.code, waiter.stderr()).toBe(130);
    expect(waiter.stderr()).toContain(`Interrupted while waiting for the lock ${f.lock}`);
    writeFileSync(f.release, '');
    expect((await holder.done).code, holder.stderr()).toBe(0);
    expectValidManifest(f.outDir);
  }, 120_000);
});

describe('kiln build: programs of a killed build', () => {
  test('a build takes over from a SIGKILLed one and kills its orphaned compiler first', async () => {
    const f = fixture();
    const first = startKiln(f.root, ['build', '--jobs', '1'], f.env);
    await until('the first compile', () => f.compiles().some((c) => c.ev === 'start'));
    const orphan = f.compiles().find((c) => c.ev === 'start')!.pid;
    first.child.kill('SIGKILL');
    await first.done;
    // Kiln is gone; its compiler, in its own process group, is not.
    expect(isRunning(orphan)).toBe(true);
    expect(readdirSync(path.join(f.outDir, '.kiln', 'children'))).toEqual([String(orphan)]);

    const second = await kiln(f.root, ['build'], { env: { ...f.env, BLOCK_UNTIL: '' } });
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toContain('Dirty');
    expect(isRunning(orphan)).toBe(false);
    const compiles = f.compiles();
    // The orphan never finished: it was killed before the new build compiled.
    expect(compiles.filter((c) => c.pid === orphan).map((c) => c.ev)).toEqual(['start']);
    expect(compiles.filter((c) => c.ev === 'end')).toHaveLength(2);
    expectValidManifest(f.outDir);
    expect(existsSync(f.lock)).toBe(false);
    expect(readdirSync(path.join(f.outDir, '.kiln', 'children'))).toEqual([]);
  }, 180_000);
});

describe('kiln build: signals', () => {
  test.each([
    ['SIGHUP', 129],
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    '%s during a compile exits %i and leaves no program running',
    async (sig, code) => {
      const f = fixture();
      const run = startKiln(f.root, ['build', '--jobs', '1'], f.env);
      await until('the compile', () => f.compiles().some((c) => c.ev === 'start'));
      const compiler = f.compiles().find((c) => c.ev === 'start')!.pid;
      run.child.kill(sig);
      const r = await run.done;
      expect(r.code, run.stdout() + run.stderr()).toBe(code);
      expect(isRunning(compiler)).toBe(false);
      expect(existsSync(f.lock)).toBe(false);
      expect(existsSync(path.join(f.outDir, '.kiln', 'fingerprint.json'))).toBe(false);
    },
    120_000,
  );

  test('a second signal exits at once with the same code, killing a child that ignores SIGTERM', async () => {
    const f = fixture();
    const run = startKiln(f.root, ['build', '--jobs', '1'], { ...f.env, BLOCK_IGNORE_TERM: '1' });
    await until('the compile', () => f.compiles().some((c) => c.ev === 'start'));
    const compiler = f.compiles().find((c) => c.ev === 'start')!.pid;
    run.child.kill('SIGTERM');
    await until('the compiler to get SIGTERM', () => f.compiles().some((c) => c.ev === 'term'));
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code, run.stdout() + run.stderr()).toBe(143);
    expect(isRunning(compiler)).toBe(false);
    expect(existsSync(f.lock)).toBe(false);
  }, 120_000);
});
