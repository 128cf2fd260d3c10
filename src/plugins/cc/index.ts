import {
  defineFlags,
  expandSources,
  perFileFlagMap,
  resolveIncludes,
} from '../../compile/index.js';
import { buildGraph, plannedPlugin } from '../../runner/graph.js';
import type { BuildContext, PlannedStep, Plugin } from '../../runner/types.js';
import { type CcOptions, parseCcOptions } from './options.js';
import { type CcLibrary, type CcStepData, planCcStep } from './step.js';

export type { CcOptions } from './options.js';
export type { CcLibrary, CcStepData } from './step.js';
export { planCcStep } from './step.js';

/**
 * Compiles bundled C, C++ and assembly into a static library (default), a shared library or
 * object files, incrementally and in parallel, under `<outDir>/cc/<name>/`.
 *
 * ```ts
 * const core = await ctx.use(cc({ name: 'core', sources: ['csrc/*.c'], includes: ['include'] }));
 * ```
 */
export function cc(options: CcOptions): Plugin<CcLibrary> {
  const opts = parseCcOptions(options);
  return plannedPlugin(`cc:${opts.name}`, (ctx, step) => planCc(ctx, opts, step), {
    // Its include dirs stay private: the result is libraries and search paths only.
    linkOnly: true,
  });
}

/** Reads the options, finds the sources and plans the steps linked; then the step's nodes. */
async function planCc(
  ctx: BuildContext,
  opts: ReturnType<typeof parseCcOptions>,
  step: string,
): Promise<PlannedStep<CcLibrary>> {
  const root = ctx.packageRoot;
  const graph = await buildGraph(ctx);
  const sources = await expandSources(
    typeof opts.sources === 'string' ? [opts.sources] : opts.sources,
    root,
    (dirs) => ctx.trackFiles(dirs),
  );
  const perFile = await perFileFlagMap(opts.perFile, root);
  // Libraries of other steps are linked, never compiled against: only the link waits for them.
  const deps = await Promise.all((opts.link ?? []).map((item) => graph.link(item)));
  const data: CcStepData = {
    name: opts.name,
    kind: opts.kind ?? 'static',
    wholeArchive: opts.wholeArchive ?? false,
    compileCommands: opts.compileCommands,
    sources,
    perFile: [...perFile],
    settings: {
      pic: opts.pic,
      includes: resolveIncludes(root, opts.includes),
      defines: defineFlags(opts.defines),
      std: opts.std,
      warnings: opts.warnings ?? 'on',
      flags: opts.flags ?? [],
      cxxFlags: opts.cxxFlags ?? [],
    },
    ldFlags: opts.ldFlags ?? [],
    link: deps.map((d) => ({ value: d.value, step: d.done?.step })),
  };
  const planned = await planCcStep(ctx, step, data, deps);
  graph.record({ plugin: 'cc', step, data, unitInputs: planned.unitInputs });
  return planned;
}
