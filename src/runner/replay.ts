import path from 'node:path';
import type { LinkInfo } from '../manifest/schema.js';
import { isCcStepData, planCcStep } from '../plugins/cc/step.js';
import { isRecord, isStringArray } from '../state/index.js';
import type { ContextState } from './context.js';
import {
  type Fingerprint,
  type Freshness,
  type FreshnessQuery,
  fingerprintChanges,
  storedPath,
} from './fingerprint.js';
import { type BuildGraph, buildGraph, type Dependency, plannedPlugin } from './graph.js';
import type { BuildContext, PlannedStep } from './types.js';

/**
 * How the last build was planned, kept in its fingerprint: enough to plan it again without
 * loading the config, as long as nothing the plan was made from has changed.
 */
export interface RecordedPlan {
  /**
   * The inputs the plan was made from (stored paths): the config and its imports,
   * `package.json`, folders globbed for sources, the compilers' own files. Only files the
   * compile units read (sources, headers) are left out.
   */
  planFiles: string[];
  /** Every step of the build, in the order they were planned. */
  steps: { plugin: string; step: string; data: unknown }[];
}

/**
 * The plan of a build that just ran, when it can be replayed: every plugin the build used is a
 * step that recorded itself (a lookup such as pkgConfig, a user's plugin or a `build(ctx)`
 * function may do anything, so a build with one always runs its config).
 */
export function recordPlan(
  graph: BuildGraph,
  state: ContextState,
  hasBuildFunction: boolean,
  inputFiles: readonly string[],
  root: string,
): RecordedPlan | undefined {
  const steps = graph.recordedSteps;
  if (hasBuildFunction || steps.length === 0 || steps.length !== state.used.size) return undefined;
  if (!steps.every((s) => state.used.has(s.step) && s.plugin in REPLAYERS)) return undefined;
  const unitInputs = new Set(steps.flatMap((s) => [...s.unitInputs()]));
  return {
    planFiles: inputFiles.filter((f) => !unitInputs.has(f)).map((f) => storedPath(f, root)),
    steps: steps.map(({ plugin, step, data }) => ({ plugin, step, data })),
  };
}

/**
 * The recorded plan, when it still holds: the build differs from the fingerprint only in the
 * content of files that compile units read. Anything else (an environment variable, a program
 * on PATH, a config or globbed folder, a file that was removed or created, an output) and the
 * config runs again.
 */
export function replayablePlan(fp: Fingerprint, q: FreshnessQuery): RecordedPlan | undefined {
  return judgeFingerprint(fp, q).replay;
}

/**
 * Freshness (the first difference is the reason reported) and, when not fresh, whether the
 * recorded plan still holds: one walk over the fingerprint for both.
 */
export function judgeFingerprint(
  fp: Fingerprint | undefined,
  q: FreshnessQuery,
): { freshness: Freshness; replay: RecordedPlan | undefined } {
  if (!fp) return { freshness: { fresh: false, reason: 'no previous build' }, replay: undefined };
  const plan = isRecordedPlan(fp.plan) ? fp.plan : undefined;
  const planFiles = new Set(plan?.planFiles);
  let reason: string | undefined;
  let replayable = plan !== undefined;
  for (const c of fingerprintChanges(fp, q)) {
    reason ??= c.reason;
    replayable &&=
      c.kind === 'file' &&
      !planFiles.has(c.name) &&
      (c.change === 'changed' || c.change === 'changed during the last build');
    if (!replayable) break;
  }
  if (reason === undefined) return { freshness: { fresh: true }, replay: undefined };
  return { freshness: { fresh: false, reason }, replay: replayable ? plan : undefined };
}

/** Plans the recorded steps into this build's graph, then runs it, as the config would have. */
export async function replayPlan(ctx: BuildContext, plan: RecordedPlan): Promise<void> {
  const graph = await buildGraph(ctx);
  const planned = new Map<string, PlannedStep<unknown>>();
  for (const s of plan.steps) {
    const replay = REPLAYERS[s.plugin]!;
    const plugin = plannedPlugin(s.step, (c, step) => replay(c, step, s.data, planned), {
      linkOnly: true,
    });
    planned.set(s.step, await graph.plan(plugin));
  }
  await graph.run();
}

type Replayer = (
  ctx: BuildContext,
  step: string,
  data: unknown,
  planned: ReadonlyMap<string, PlannedStep<unknown>>,
) => Promise<PlannedStep<unknown>>;

const REPLAYERS: Record<string, Replayer> = {
  cc: async (ctx, step, data, planned) => {
    if (!isCcStepData(data)) throw new Error(`the recorded plan of ${step} is not valid`);
    const deps = data.link.map((l): Dependency<LinkInfo | undefined> => {
      const dep = l.step === undefined ? undefined : planned.get(l.step);
      return dep
        ? { value: l.value, done: dep.ready ?? dep.done, changes: dep.changes }
        : { value: l.value, done: undefined, changes: false };
    });
    return planCcStep(ctx, step, data, deps);
  },
};

function isRecordedPlan(p: unknown): p is RecordedPlan {
  return (
    isRecord(p) &&
    isStringArray(p.planFiles) &&
    Array.isArray(p.steps) &&
    p.steps.every(
      (s: unknown) =>
        isRecord(s) &&
        typeof s.plugin === 'string' &&
        s.plugin in REPLAYERS &&
        typeof s.step === 'string' &&
        (s.plugin !== 'cc' || isCcStepData(s.data)),
    )
  );
}

/** Absolute paths of the plan's own inputs, for the fingerprint of a replayed build. */
export function planInputFiles(plan: RecordedPlan, root: string): string[] {
  return plan.planFiles.map((f) => path.resolve(root, f));
}
