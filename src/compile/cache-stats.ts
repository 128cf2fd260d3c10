import { execFile } from 'node:child_process';
import type { Tool } from '../toolchain/types.js';

/** Hits and misses of a compiler cache, as counted by the cache itself. */
export interface CacheCounts {
  hits: number;
  misses: number;
}

/**
 * Neither sccache nor ccache says per compile whether it hit, but both keep counters: the
 * difference across a step is what the step did. Steps that compile at the same time (packages of
 * a workspace) share the counters, so a step that overlapped another is marked as such rather
 * than claiming an exact count.
 */
const QUERIES: Record<string, { args: string[]; parse: (out: string) => CacheCounts }> = {
  sccache: { args: ['--show-stats', '--stats-format=json'], parse: parseSccacheStats },
  ccache: { args: ['--print-stats'], parse: parseCcacheStats },
};

export function parseSccacheStats(out: string): CacheCounts {
  const stats = (JSON.parse(out) as { stats?: Record<string, { counts?: Record<string, number> }> })
    .stats;
  const sum = (key: string) =>
    Object.values(stats?.[key]?.counts ?? {}).reduce((n, v) => n + (Number(v) || 0), 0);
  return { hits: sum('cache_hits'), misses: sum('cache_misses') };
}

export function parseCcacheStats(out: string): CacheCounts {
  const counts = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [key, value] = line.split('\t');
    if (key && value !== undefined) counts.set(key.trim(), Number(value) || 0);
  }
  const get = (k: string) => counts.get(k) ?? 0;
  return {
    hits: get('direct_cache_hit') + get('preprocessed_cache_hit'),
    misses: get('cache_miss'),
  };
}

function query(tool: Tool): Promise<CacheCounts | undefined> {
  const q = tool.wrapper ? QUERIES[tool.wrapper] : undefined;
  if (!q) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    // Never fails the build: statistics are a report, not an input.
    execFile(tool.program, q.args, { timeout: 10_000 }, (err, stdout) => {
      if (err) return resolve(undefined);
      try {
        resolve(q.parse(stdout));
      } catch {
        resolve(undefined);
      }
    });
  });
}

let active = 0;
let generation = 0;
/**
 * The counters each wrapper showed when a step last reported: a step reports what happened since
 * it started or since that report, whichever is later, so steps that overlapped (the build graph
 * runs independent steps at once) never count the same compile twice and add up to the build's.
 */
const reported = new Map<string, CacheCounts>();

/**
 * Measures the cache's counters around `fn`; calls `report` with the difference (and whether
 * another measured step ran meanwhile) when the tool goes through a cache that reports them.
 */
export async function withCacheStats<T>(
  tool: Tool,
  fn: () => Promise<T>,
  report: (counts: CacheCounts & { wrapper: string; overlapped: boolean }) => void,
): Promise<T> {
  const wrapper = tool.wrapper;
  if (!(wrapper && QUERIES[wrapper])) return fn();
  // Running from before its first reading: a step whose reading is on its way (the counters
  // already sampled) makes one that ends meanwhile overlapped, or both would count the compiles
  // in between.
  active += 1;
  const startGen = ++generation;
  let overlapped = active > 1;
  let before: CacheCounts | undefined;
  try {
    before = await query(tool);
    return await fn();
  } finally {
    overlapped ||= generation !== startGen || active > 1;
    active -= 1;
    const start = before;
    const after = start && (await query(tool));
    if (start && after) {
      const last = reported.get(wrapper);
      const from = (key: keyof CacheCounts) =>
        last && overlapped ? Math.max(start[key], last[key]) : start[key];
      reported.set(wrapper, after);
      report({
        wrapper,
        hits: Math.max(0, after.hits - from('hits')),
        misses: Math.max(0, after.misses - from('misses')),
        overlapped,
      });
    }
  }
}
