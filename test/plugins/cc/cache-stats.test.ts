import { describe, expect, it } from 'vitest';
import { parseCcacheStats, parseSccacheStats } from '../../../src/compile/cache-stats.js';

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
});
