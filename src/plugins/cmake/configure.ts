import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../../runner/types.js';
import { relativeInside } from '../../util/paths.js';
import { configureFailed } from './errors.js';
import { writeQuery } from './file-api.js';
import type { GeneratorChoice } from './generator.js';
import type { CmakeInstall } from './locate.js';
import { type CmakeState, firstChanged, firstDifference, removeState } from './state.js';

/** Everything that decides a configure, computed fresh on every run. */
export interface ConfigurePlan {
  name: string;
  cmake: CmakeInstall;
  sourceDir: string;
  buildDir: string;
  stepDir: string;
  generator: GeneratorChoice;
  /** Every `-D`, in order. */
  defines: Map<string, string>;
  configureArgs: string[];
  /** Environment variables CMake reads on every configure (CMAKE_PREFIX_PATH, ...). */
  envInputs: Record<string, string>;
  /** First-configure-only settings: a change means a new build tree. */
  fresh: Record<string, string>;
  env: Record<string, string | undefined>;
}

export type ConfigureDecision =
  | { action: 'skip' }
  | { action: 'configure'; reason: string; wipe: boolean; unset: string[] };

/**
 * Re-configure only when it can change something (research §2.7). CMake reads the generator,
 * compilers, toolchain file and CMAKE_SYSTEM_* only on the first configure of a tree: a changed
 * generator is a hard error ("Does not match the generator used previously"), a changed compiler
 * wipes the cache with every -D, and a changed toolchain file or system name is silently ignored.
 * So those changes start a new tree. A changed or removed `-D`, or a changed CMakeLists/.cmake
 * input, re-runs configure on the existing tree. Nothing changed: no configure at all.
 */
export async function decideConfigure(
  plan: ConfigurePlan,
  state: CmakeState | undefined,
): Promise<ConfigureDecision> {
  const hasCache = existsSync(path.join(plan.buildDir, 'CMakeCache.txt'));
  if (!state) {
    return hasCache
      ? {
          action: 'configure',
          reason: 'no record of how the build tree was configured',
          wipe: true,
          unset: [],
        }
      : { action: 'configure', reason: 'first configure', wipe: false, unset: [] };
  }
  if (!hasCache)
    return { action: 'configure', reason: 'CMakeCache.txt is missing', wipe: true, unset: [] };
  const freshKey = firstDifference(state.fresh, plan.fresh);
  if (freshKey) {
    return {
      action: 'configure',
      reason: `${freshKey} changed (new build tree)`,
      wipe: true,
      unset: [],
    };
  }
  const defines = Object.fromEntries(plan.defines);
  const defineKey = firstDifference(state.defines, defines);
  // A -D no longer passed would keep its old value in the cache: remove it with -U.
  const unset = Object.keys(state.defines).filter((k) => !(k in defines));
  if (defineKey)
    return { action: 'configure', reason: `-D${defineKey} changed`, wipe: false, unset };
  if (JSON.stringify(state.configureArgs) !== JSON.stringify(plan.configureArgs)) {
    return { action: 'configure', reason: 'configureArgs changed', wipe: false, unset: [] };
  }
  const envKey = firstDifference(state.envInputs, plan.envInputs);
  if (envKey) return { action: 'configure', reason: `${envKey} changed`, wipe: false, unset: [] };
  const input = await firstChanged(state.configureInputs);
  if (input) {
    return {
      action: 'configure',
      reason: `${relativeInside(plan.sourceDir, input) || input} changed`,
      wipe: false,
      unset: [],
    };
  }
  return { action: 'skip' };
}

export function configureArgv(plan: ConfigurePlan, unset: readonly string[]): string[] {
  return [
    '-S',
    plan.sourceDir,
    '-B',
    plan.buildDir,
    '-G',
    plan.generator.name,
    // A user's own -A in configureArgs wins (CMake refuses two).
    ...(plan.generator.platform && !plan.configureArgs.some((a) => a.startsWith('-A'))
      ? ['-A', plan.generator.platform]
      : []),
    ...unset.flatMap((k) => ['-U', k]),
    ...[...plan.defines].map(([k, v]) => `-D${k}=${v}`),
    ...plan.configureArgs,
  ];
}

/** Runs the configure; on failure the state is dropped, so the next run configures again. */
export async function runConfigure(
  ctx: BuildContext,
  plan: ConfigurePlan,
  decision: Extract<ConfigureDecision, { action: 'configure' }>,
): Promise<void> {
  if (decision.wipe) await rm(plan.buildDir, { recursive: true, force: true });
  await removeState(plan.stepDir);
  await mkdir(plan.buildDir, { recursive: true });
  await writeQuery(plan.buildDir);
  ctx.progress.step('CMAKE', `configure ${plan.name} (${decision.reason})`);
  const output: string[] = [];
  const res = await ctx.exec(plan.cmake.path, configureArgv(plan, decision.unset), {
    cwd: plan.buildDir,
    env: plan.env,
    directives: false,
    allowFailure: true,
    onLine: (line, stream) => {
      output.push(line);
      // stderr lines already reach the log through ctx.exec.
      if (stream === 'stdout') ctx.log.debug(line);
    },
  });
  if (res.exitCode !== 0) {
    throw await configureFailed({
      name: plan.name,
      source: plan.sourceDir,
      buildDir: plan.buildDir,
      output: output.length > 0 ? output.join('\n') : `${res.stdout}\n${res.stderr}`,
      command: res.command,
    });
  }
}
