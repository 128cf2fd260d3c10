import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { JobPool } from '../../src/runner/jobs.js';

describe('JobPool', () => {
  it('never runs more jobs than its size', async () => {
    const pool = new JobPool(2);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        pool.run(1, async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(5);
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
  });

  it('lets a multi-slot job (cmake --build -j N) hold the whole pool', async () => {
    const pool = new JobPool(3);
    const log: string[] = [];
    const big = pool.run(3, async () => {
      log.push('big start');
      await sleep(10);
      log.push('big end');
    });
    const small = pool.run(1, async () => {
      log.push('small');
    });
    await Promise.all([big, small]);
    expect(log).toEqual(['big start', 'big end', 'small']);
  });

  it('caps a request at the pool size instead of waiting forever', async () => {
    const pool = new JobPool(2);
    await expect(pool.run(8, async () => 'ran')).resolves.toBe('ran');
  });

  it('drops a waiting job when its signal aborts', async () => {
    const pool = new JobPool(1);
    const controller = new AbortController();
    const first = pool.run(1, () => sleep(20));
    const second = pool.run(1, async () => 'never', controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(second).rejects.toThrow('cancelled');
    await first;
    await expect(pool.run(1, async () => 'free again')).resolves.toBe('free again');
  });

  it('gives distributed compiles a farm-sized pool of their own unless -j was explicit', async () => {
    const local = new JobPool();
    expect(local.explicit).toBe(false);
    const farm = local.distributed(8);
    expect(farm.size).toBe(8);
    // One farm pool per build, shared by every step.
    expect(local.distributed(16)).toBe(farm);
    // Filling the farm leaves the local pool (archives, links) untouched.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const busy = Array.from({ length: 8 }, () => farm.run(1, () => gate));
    await expect(local.run(1, async () => 'local runs')).resolves.toBe('local runs');
    release();
    await Promise.all(busy);

    const explicit = new JobPool(2);
    expect(explicit.explicit).toBe(true);
    expect(explicit.distributed(8)).toBe(explicit);
  });
});
