import type { LinkInfo } from '../manifest/schema.js';
import { planAddonStep } from '../plugins/addon/index.js';
import type { AddonStepData } from '../plugins/addon/step-data.js';
import { type CcStepData, planCcStep } from '../plugins/cc/step.js';
import type { ContextState } from './context.js';
import { storedPath } from './fingerprint.js';
import { type BuildGraph, buildGraph, type Dependency, plannedPlugin } from './graph.js';
import type { RecordedPlan, RecordingPlugin } from './recorded-plan.js';
import type { BuildContext, PlannedStep } from './types.js';

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
    steps: steps.map(({ plugin, step, data }) => ({
      plugin: plugin as RecordingPlugin,
      step,
      data,
    })),
  };
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

const REPLAYERS: Record<RecordingPlugin, Replayer> = {
  // The data was checked when the plan was judged (`isRecordedPlan`).
  cc: async (ctx, step, data, planned) => {
    const d = data as CcStepData;
    return planCcStep(ctx, step, d, dependencies(d.link, planned));
  },
  addon: async (ctx, step, data, planned) => {
    const d = data as AddonStepData;
    return planAddonStep(ctx, step, d, dependencies(d.link, planned));
  },
};

/** Recorded `link` entries as dependencies: a step of this build by its replayed plan. */
function dependencies(
  link: readonly { value: LinkInfo | undefined; step: string | undefined }[],
  planned: ReadonlyMap<string, PlannedStep<unknown>>,
): Dependency<LinkInfo | undefined>[] {
  return link.map((l) => {
    const dep = l.step === undefined ? undefined : planned.get(l.step);
    return dep
      ? { value: l.value, done: dep.ready ?? dep.done, changes: dep.changes }
      : { value: l.value, done: undefined, changes: false };
  });
}
