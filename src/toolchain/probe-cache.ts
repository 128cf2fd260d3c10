import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BuildContext } from '../runner/types.js';
import { isRecord, readState, type StateKind, writeState } from '../state/index.js';
import { masqueradeTarget } from './masquerade.js';
import type { CompilerInfo } from './types.js';

/**
 * Compiler identities remembered between builds, so a rebuild after a one-line edit does not
 * spawn the compiler twice just to ask what it is. An entry is keyed by the real path of the
 * compiler (after symlinks: `cc` → `gcc-12`), its size and mtime, its leading args and the
 * language: upgrading or switching the compiler changes the key and it is asked again.
 */
export interface ProbeCache {
  get(key: string): CompilerInfo | undefined;
  set(key: string, info: CompilerInfo): Promise<void>;
}

const FILE = ['toolchain', 'probes.json'];

const PROBES: StateKind<Record<string, CompilerInfo>> = {
  kind: 'kiln-compiler-probes',
  version: 1,
  valid: (d): d is Record<string, CompilerInfo> =>
    isRecord(d) && Object.values(d).every((v) => isRecord(v) && typeof v.family === 'string'),
};

export function probeCache(ctx: Pick<BuildContext, 'cache' | 'outDir'>): Promise<ProbeCache> {
  return ctx.cache('kiln:toolchain:probe-cache', async () => {
    const file = path.join(ctx.outDir, ...FILE);
    // Missing or damaged: every compiler is simply asked again.
    const entries = (await readState(file, PROBES)) ?? {};
    let writing = Promise.resolve();
    return {
      get: (key) => entries[key],
      set: (key, info) => {
        entries[key] = info;
        // Serialised: parallel probes of one build must not interleave their writes.
        writing = writing.then(() => writeState(file, PROBES, entries));
        return writing;
      },
    };
  });
}

/**
 * The cache key of a compiler, or undefined when it cannot be stat'ed (then always probe).
 * Synchronous: one realpath(3) and one stat, where the thread pool's round trips cost more.
 */
export function probeKey(
  compiler: string,
  args: readonly string[],
  language: string,
): string | undefined {
  try {
    const real = realpathSync.native(compiler);
    const st = statSync(real);
    // The name used matters too: one binary behind many names (ccache's masquerade links, a
    // multi-call driver) can answer differently for each. A masquerade link answers for the
    // compiler it runs, which is keyed too.
    const target = masqueradeTarget(compiler, path.dirname(compiler));
    const targetStat = target ? statSync(target) : undefined;
    const runs = targetStat ? [target, targetStat.size, targetStat.mtimeMs] : target;
    return JSON.stringify([compiler, real, st.size, st.mtimeMs, args, language, runs]);
  } catch {
    return undefined;
  }
}
