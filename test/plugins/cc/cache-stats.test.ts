import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CacheCounts,
  parseCcacheStats,
  parseSccacheStats,
  withCacheStats,
} from '../../../src/compile/cache-stats.js';
import type { Tool } from '../../../src/toolchain/types.js';

/**
 * A stand-in `sccache --show-stats`: prints the counters in `counts.json`. The first run after
 * a `gate` file appears takes it, reads the counters at once, and prints them only once a
 * `release` file exists: a reading sampled early and answered late.
 */
function fakeSccache(dir: string): Tool {
  const program = path.join(dir, 'sccache');
  writeFileSync(
    program,
    `#!/usr/bin/env node
const fs = require('node:fs');
const dir = ${JSON.stringify(dir)};
const read = () => JSON.parse(fs.readFileSync(dir + '/counts.json', 'utf8'));
const print = (c) => process.stdout.write(JSON.stringify({ stats: {
  cache_hits: { counts: { 'C/C++': c.hits } }, cache_misses: { counts: { 'C/C++': c.misses } } } }));
let held = false;
try { fs.renameSync(dir + '/gate', dir + '/gate.taken'); held = true; } catch {}
const counts = read();
if (!held) print(counts);
else {
  fs.writeFileSync(dir + '/sampled', '');
  const wait = setInterval(() => {
    if (fs.existsSync(dir + '/release')) { clearInterval(wait); print(counts); }
  }, 2);
}
`,
  );
  chmodSync(program, 0o755);
  writeFileSync(path.join(dir, 'counts.json'), JSON.stringify({ hits: 0, misses: 0 }));
  return { program, args: [], wrapper: 'sccache' } as unknown as Tool;
}

/** Resolves once `file` exists (a step of the fake's protocol). */
async function until(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((r) => setImmediate(r));
}

describe('compiler cache counters', () => {
  it('sums sccache hits and misses over languages', () => {
    const out = JSON.stringify({
      stats: {
        cache_hits: { counts: { 'C/C++': 3, CUDA: 1 } },
        cache_misses: { counts: { 'C/C++': 2 } },
      },
    });
    expect(parseSccacheStats(out)).toEqual({ hits: 4, misses: 2 });
  });

  it('counts ccache direct and preprocessed hits', () => {
    const out =
      'cache_miss\t5\ndirect_cache_hit\t2\npreprocessed_cache_hit\t1\nfiles_in_cache\t9\n';
    expect(parseCcacheStats(out)).toEqual({ hits: 3, misses: 5 });
  });

  it.runIf(process.platform !== 'win32')(
    'two steps whose readings cross count each compile once: one that ends while the other reads its start is overlapped',
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-cache-stats-'));
      const tool = fakeSccache(dir);
      const hit = (n: number) => {
        const c = JSON.parse(readFileSync(path.join(dir, 'counts.json'), 'utf8'));
        writeFileSync(path.join(dir, 'counts.json'), JSON.stringify({ ...c, hits: c.hits + n }));
      };
      const reports: (CacheCounts & { overlapped: boolean })[] = [];
      // B starts first; its starting reading samples 0 hits and is held.
      writeFileSync(path.join(dir, 'gate'), '');
      const b = withCacheStats(
        tool,
        async () => hit(1),
        (r) => reports.push(r),
      );
      await until(path.join(dir, 'sampled'));
      // A runs whole meanwhile: 2 hits, reported before B's reading comes back.
      await withCacheStats(
        tool,
        async () => hit(2),
        (r) => reports.push(r),
      );
      writeFileSync(path.join(dir, 'release'), '');
      await b;
      expect(reports.reduce((n, r) => n + r.hits, 0)).toBe(3);
      expect(reports.every((r) => r.overlapped)).toBe(true);
      expect(readdirSync(dir)).toContain('gate.taken');
    },
  );
});
