/**
 * Vitest's global setup: the CLI tests run the built `bin/kiln.js` → `dist/`, so a `dist` older
 * than its sources would test yesterday's code. Rebuild it (scripts/build.mjs) when any source
 * of the build is newer than the oldest entry point, or an entry point is missing (a fresh
 * clone); otherwise this costs a directory walk.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './package.js';

/** What scripts/build.mjs reads. */
const INPUTS = ['src', 'scripts/build.mjs', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
/** What the tests load from dist: every entry point of the build. */
const ENTRIES = [
  'index.js',
  'loader.js',
  'recipes/index.js',
  'testing.js',
  'cli/main.js',
  'cli/entry.cjs',
  'cli/quick-replay.cjs',
  'cli/quick-print.cjs',
  'cli/quick-doctor.cjs',
  'cli/quick-pkg-config.cjs',
];

function newestMtime(target: string): number {
  const st = statSync(target, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** The oldest entry point's mtime; 0 when one is missing. */
function builtAt(): number {
  let oldest = Number.POSITIVE_INFINITY;
  for (const entry of ENTRIES) {
    const st = statSync(path.join(REPO_ROOT, 'dist', entry), { throwIfNoEntry: false });
    if (!st) return 0;
    oldest = Math.min(oldest, st.mtimeMs);
  }
  return oldest;
}

function rebuildIfStale(): void {
  const sources = Math.max(...INPUTS.map((p) => newestMtime(path.join(REPO_ROOT, p))));
  if (builtAt() >= sources) return;
  process.stderr.write('dist is older than src: building it (scripts/build.mjs)\n');
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    throw new Error(`building dist failed (exit ${r.status ?? r.signal}): run npm run build`);
  }
}

export default function setup(): () => void {
  rebuildIfStale();
  // The CLI runs of every test share a cache folder of their own, never the user's
  // (~/.cache/kiln: what tools answered kiln doctor); the test workers inherit it.
  const cache = mkdtempSync(path.join(os.tmpdir(), 'kiln-test-cache-'));
  process.env.KILN_CACHE_DIR = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
