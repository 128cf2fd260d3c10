import { KilnError } from '../errors.js';
import type { LinkInfo } from '../manifest/schema.js';
import { isLinkablePlugin, resolveLinkable } from './linkable.js';
import type { BuildContext, BuildNode, Linkable, NodeKind, PlannedStep, Plugin } from './types.js';

/** A plugin that declares its work as nodes (`plan`). */
export type PlannedPlugin<R> = Plugin<R> & Required<Pick<Plugin<R>, 'plan'>>;

export function isPlanned<R>(plugin: Plugin<R>): plugin is PlannedPlugin<R> {
  return typeof plugin.plan === 'function';
}

/**
 * A planned step as the runner can plan it again without loading the config, when only what
 * its compile units read has changed: the plugin that replays it, the plain data it plans
 * from, and (once it ran) the files its units read.
 */
export interface RecordedStep {
  /** Which plugin replays it (`cc`). */
  plugin: string;
  /** The step's name (`cc:core`). */
  step: string;
  /** What its plan is made from, as JSON. */
  data: unknown;
  /** The sources and headers its compile units read; complete once its nodes ran. */
  unitInputs(): Iterable<string>;
}

/** A planned step that can record itself: its plan, and the files its compile units read. */
export type RecordingStep<R> = PlannedStep<R> & Pick<RecordedStep, 'unitInputs'>;

/** What a step planning against another one gets. */
export interface Dependency<R> {
  value: R;
  /** The node to wait for before reading its outputs; undefined when they are already built. */
  done: BuildNode | undefined;
  /** Whether this build rewrites them (a link that reads them must rerun). */
  changes: boolean;
}

/**
 * The build graph of one package build. Plugins with a `plan` add their nodes (compile units,
 * archives, links) before anything runs; the runner then starts it, announcing the progress total
 * once, and every node runs as soon as the nodes it comes after are done. Nodes take job-pool
 * slots for their programs themselves, so the pool decides how many run at once across steps:
 * an addon's compiles share it with a library's, and only its link waits for that library.
 *
 * Work added after the start (a plugin first used from `build(ctx)`) adds its own count to the
 * total when it is planned: the total changes only for steps nothing declared up front.
 */
export class BuildGraph {
  private readonly steps = new Map<Plugin<unknown>, Promise<PlannedStep<unknown>>>();
  private readonly byName = new Map<string, Plugin<unknown>>();
  private readonly runs = new Map<BuildNode, Promise<void>>();
  private planned: BuildNode[] = [];
  /** Each step's `done` waits for the one of the step planned before it. */
  private readonly prior = new Map<BuildNode, BuildNode>();
  private lastDone: BuildNode | undefined;
  private started = false;
  private failure: { error: unknown } | undefined;
  private readonly recorded: RecordedStep[] = [];

  constructor(private readonly ctx: BuildContext) {}

  /** Records how a step was planned, so an unchanged config need not be loaded to plan it again. */
  record(step: RecordedStep): void {
    this.recorded.push(step);
  }

  /** The steps recorded so far, in the order they were planned (a step after those it links). */
  get recordedSteps(): readonly RecordedStep[] {
    return this.recorded;
  }

  /** Plans a step once (later calls return the same plan); its nodes run once the graph starts. */
  plan<R>(plugin: PlannedPlugin<R>): Promise<PlannedStep<R>> {
    let step = this.steps.get(plugin as Plugin<unknown>) as Promise<PlannedStep<R>> | undefined;
    if (step) return step;
    const other = this.byName.get(plugin.name);
    if (other && other !== plugin) {
      // Two steps of one name share a step directory and state: each would overwrite the other's
      // outputs and both would rebuild forever.
      return Promise.reject(
        new KilnError('STEP_NAME_CLASH', `two build steps are named "${plugin.name}"`, {
          hint: 'Give each step its own name (e.g. cc({ name: "core" }) and cc({ name: "extra" })), or reuse one plugin object for the same step.',
        }),
      );
    }
    this.byName.set(plugin.name, plugin as Plugin<unknown>);
    step = plugin.plan(this.ctx).then((s) => {
      if (this.lastDone) this.prior.set(s.done, this.lastDone);
      this.lastDone = s.done;
      this.add(s.nodes);
      // Planned once the graph runs: it is used like any step (events, failure attribution).
      if (this.started) this.use(plugin);
      return s;
    });
    this.steps.set(plugin as Plugin<unknown>, step as Promise<PlannedStep<unknown>>);
    return step;
  }

  /**
   * Another step as a step being planned sees it: a planned one by its plan (its result is read
   * once `done` has run), anything else (a lookup such as pkgConfig, a plugin without a plan) by
   * running it now, since what it returns may change how the dependent compiles.
   */
  async dependency<R>(item: R | Plugin<R>): Promise<Dependency<R>> {
    if (!isPlugin(item)) return { value: item, done: undefined, changes: false };
    if (isPlanned(item)) {
      const step = await this.plan(item);
      if (step.value !== undefined) {
        return { value: step.value, done: step.ready ?? step.done, changes: step.changes };
      }
      return { value: await this.result(item), done: undefined, changes: step.changes };
    }
    return { value: await this.ctx.use(item), done: undefined, changes: false };
  }

  /**
   * A `link` entry as a step being planned sees it: a planned step by its plan, anything else
   * through the one Linkable resolver (a manifest gives its link fields, a lookup runs now).
   */
  link(item: Linkable): Promise<Dependency<LinkInfo | undefined>> {
    if (isLinkablePlugin(item) && isPlanned(item)) return this.dependency(item);
    return resolveLinkable(this.ctx, item).then((value) => ({
      value,
      done: undefined,
      changes: false,
    }));
  }

  /** The step's result once its nodes ran: what a planned plugin's `run` returns. */
  async result<R>(plugin: PlannedPlugin<R>): Promise<R> {
    const step = await this.plan(plugin);
    this.start();
    await this.schedule(step.done);
    return step.result();
  }

  /**
   * Starts every node planned so far: the progress total is announced here, once, before the
   * first job. Resolves when every planned step is done; the first failure rejects.
   */
  async run(): Promise<void> {
    this.start();
    await Promise.all([...this.steps.keys()].map((plugin) => this.ctx.use(plugin)));
  }

  /** How many `[n/N]` steps the nodes planned so far announce. */
  get count(): number {
    return this.planned.reduce((n, node) => n + node.count, 0);
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.ctx.progress.plan(this.count);
    for (const node of this.planned) this.schedule(node);
    for (const plugin of this.steps.keys()) this.use(plugin);
  }

  private add(nodes: readonly BuildNode[]): void {
    if (!this.started) {
      this.planned.push(...nodes);
      return;
    }
    this.ctx.progress.plan(nodes.reduce((n, node) => n + node.count, 0));
    for (const node of nodes) this.schedule(node);
  }

  /** The step runs through the context, so it gets its start and end events and its name on errors. */
  private use(plugin: Plugin<unknown>): void {
    this.ctx.use(plugin).catch(() => {});
  }

  private schedule(node: BuildNode): Promise<void> {
    let run = this.runs.get(node);
    if (run) return run;
    run = (async () => {
      const prior = this.prior.get(node);
      await Promise.all([...node.after, ...(prior ? [prior] : [])].map((n) => this.schedule(n)));
      // Nothing new starts after a failure: the build is being stopped.
      if (this.failure) throw this.failure.error;
      this.ctx.signal.throwIfAborted();
      try {
        await node.run();
      } catch (error) {
        this.failure ??= { error };
        throw error;
      }
    })();
    // A failure is reported where the step is awaited; until then it must not count as unhandled.
    run.catch(() => {});
    this.runs.set(node, run);
    return run;
  }
}

/** The graph of the build `ctx` belongs to (one per build, shared by every step). */
export function buildGraph(ctx: BuildContext): Promise<BuildGraph> {
  return ctx.cache('kiln:build-graph', async () => new BuildGraph(ctx));
}

/** `run` of a planned plugin: plans it if nothing did yet, then waits for its nodes. */
export async function runPlanned<R>(ctx: BuildContext, plugin: PlannedPlugin<R>): Promise<R> {
  return (await buildGraph(ctx)).result(plugin);
}

/**
 * A plugin whose work is planned as nodes: `plan` gets the step's name, which names its nodes,
 * and `run` (the plugin run on its own) waits for them.
 */
export function plannedPlugin<R>(
  name: string,
  plan: (ctx: BuildContext, step: string) => Promise<PlannedStep<R>>,
  extra: { linkOnly?: true } = {},
): PlannedPlugin<R> {
  const plugin: PlannedPlugin<R> = {
    name,
    ...extra,
    plan: (ctx) => plan(ctx, plugin.name),
    run: (ctx) => runPlanned(ctx, plugin),
  };
  return plugin;
}

function isPlugin<R>(item: R | Plugin<R>): item is Plugin<R> {
  return (
    typeof item === 'object' &&
    item !== null &&
    'run' in item &&
    typeof (item as Plugin<R>).run === 'function'
  );
}

/** Planned work as a node of `step`: `where` tells its nodes apart (a step dir, a target). */
export function workNode(
  step: string,
  kind: NodeKind,
  where: string,
  work: {
    count: number;
    inputs?: readonly string[];
    outputs?: readonly string[];
    run(): Promise<void>;
  },
  after: readonly BuildNode[],
): BuildNode {
  return {
    id: `${step} ${kind} ${where}`,
    step,
    kind,
    inputs: work.inputs ?? [],
    outputs: work.outputs ?? [],
    after,
    count: work.count,
    run: () => work.run(),
  };
}

/**
 * Every declared plugin planned before any runs, so the progress total is known before the first
 * job; then the graph runs. A plugin without a plan (a lookup such as pkgConfig, a user's own
 * plugin) runs where it is declared, during planning: what planned steps after it compile or
 * link may depend on what it returns or writes.
 */
export async function runDeclared(
  ctx: BuildContext,
  plugins: readonly Plugin<unknown>[],
): Promise<void> {
  const graph = await buildGraph(ctx);
  for (const plugin of plugins) {
    // A plan that fails is reported through the context, like a failing run: events and name.
    if (isPlanned(plugin)) await graph.plan(plugin).catch(() => ctx.use(plugin));
    else await ctx.use(plugin);
  }
  await graph.run();
}
