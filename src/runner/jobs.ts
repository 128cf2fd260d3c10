import os from 'node:os';

/**
 * The one job pool of a build: every compiler, cmake --build and user program takes slots from
 * it, so `-j2` means two at once across all plugins and all packages of a workspace.
 */
export class JobPool {
  readonly size: number;
  /** True when the user chose the size (`-j`): then it is never widened for remote compiles. */
  readonly explicit: boolean;
  private available: number;
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private remote: JobPool | undefined;

  constructor(size?: number) {
    this.explicit = size !== undefined;
    this.size = Math.max(1, Math.floor(size ?? defaultJobs()));
    this.available = this.size;
  }

  /**
   * The pool for compiles that run on other machines (distcc): as wide as the farm's slots,
   * while archives, links and everything else stay in this (local) pool. One per build: the
   * first caller's capacity wins, so every step and package shares the farm. An explicit `-j`
   * still wins: then compiles keep using this pool.
   */
  distributed(capacity: number): JobPool {
    if (this.explicit) return this;
    this.remote ??= new JobPool(Math.max(1, capacity));
    return this.remote;
  }

  /** Runs `fn` holding `count` slots (capped at the pool size; 0 runs at once). */
  async run<T>(count: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const want = Math.min(Math.max(0, Math.floor(count)), this.size);
    if (want > 0) await this.acquire(want, signal);
    try {
      return await fn();
    } finally {
      if (want > 0) this.release(want);
    }
  }

  private acquire(count: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.waiters.length === 0 && this.available >= count) {
      this.available -= count;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        count,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private release(count: number): void {
    this.available += count;
    // First come, first served: a big request at the head is not starved by small ones.
    while (this.waiters.length > 0 && this.available >= this.waiters[0]!.count) {
      const next = this.waiters.shift()!;
      this.available -= next.count;
      next.resolve();
    }
  }
}

export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function'
    ? os.availableParallelism()
    : os.cpus().length;
}
