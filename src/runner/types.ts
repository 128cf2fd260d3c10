import type { Directive } from '../manifest/directive.js';
import type { LinkInfo, Manifest } from '../manifest/schema.js';
import type { Triple } from '../target/triple.js';
import type { TemplateExec } from './template.js';

/** Optimisation level, as cc-rs and Cargo name them. */
export type OptLevel = '0' | '1' | '2' | '3' | 's' | 'z';

export interface Profile {
  /** `debug` or `release` (or a custom name given with `--profile`). */
  name: string;
  optLevel: OptLevel;
  /** Emit debug info (`-g`). */
  debugInfo: boolean;
}

export interface ExecOptions {
  cwd?: string;
  /** Extra environment for the child (merged over the build's environment). */
  env?: Record<string, string | undefined>;
  /** Text written to the child's stdin. */
  input?: string;
  /** Parse `kiln:KEY=VALUE` lines on stdout as directives. Default: true. */
  directives?: boolean;
  /** Slots of the job pool to hold while the program runs. Default: 1. Use 0 for trivial probes. */
  jobs?: number;
  /** Treat a non-zero exit as a result instead of throwing. Default: false. */
  allowFailure?: boolean;
  /** Called with each line of stdout as it arrives (for passing progress through). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Kills the program when aborted (a sibling compile failed); the exec then rejects. */
  signal?: AbortSignal;
}

export interface ExecResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Shown only with `--verbose`. */
  debug(message: string): void;
  /** A compiler cache's counts for one step (a `cache` event; shown with `--json`/`--verbose`). */
  cache?(stats: {
    step: string;
    wrapper: string;
    hits: number;
    misses: number;
    overlapped: boolean;
  }): void;
}

/** A progress counter: `[n/N] STEP what`. */
export interface Progress {
  /** Announce `count` more steps of work so the `N` in `[n/N]` is right. */
  plan(count: number): void;
  /** One step starts: prints `[n/N] STEP what`. */
  step(step: string, what: string): void;
}

/**
 * Environment read through the context: every read is recorded as an input of the build, so a
 * change of the variable (including it appearing or disappearing) reruns the build.
 */
export type TrackedEnv = Readonly<Record<string, string | undefined>>;

export interface BuildContext {
  /** The package being built. */
  readonly packageRoot: string;
  readonly packageName: string;
  readonly target: Triple;
  readonly host: Triple;
  readonly profile: Profile;
  /** Where build steps write; unique per target and profile. */
  readonly outDir: string;
  /** Size of the job pool shared by every step. */
  readonly jobs: number;
  readonly verbose: boolean;
  /** `--force`: redo every step's work even where its own state says it is current. */
  readonly force: boolean;
  /** Tracked environment (reads become inputs). */
  readonly env: TrackedEnv;
  /** Reads a variable as a tracked input (same as `ctx.env[name]`). */
  getEnv(name: string): string | undefined;
  /** Records files whose content the build depends on (paths relative to the package root or absolute). */
  trackFiles(paths: Iterable<string>): void;
  /**
   * Records that a program was looked up by `name` (on PATH when it has no slash) and what it
   * resolved to: a different program found later, or the program itself changed, reruns the build.
   */
  trackTool(name: string, resolved: string | undefined): void;
  /** Records an output the build must leave behind; a later build with it missing is dirty. */
  addArtifact(artifact: Manifest['artifacts'][number]): void;
  /** Runs a program with an argv array (never a shell); output captured; directives parsed. */
  exec(file: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /**
   * `await ctx.$\`make -C vendor ${target}\``: `exec` as a tagged template (no shell; each
   * interpolation is one argument, an array several). `ctx.$({ cwd })\`...\`` binds options.
   */
  readonly $: TemplateExec;
  /** Holds `count` job-pool slots while `fn` runs. */
  withJobs<T>(count: number, fn: () => Promise<T>): Promise<T>;
  /**
   * Slots for compiles sent to a farm of `capacity` slots (see `JobPool.distributed`): its size
   * and a runner holding one slot. Optional so hand-made contexts need not provide it.
   */
  distributedJobs?(capacity: number): {
    size: number;
    run<T>(fn: () => Promise<T>): Promise<T>;
  };
  /** Adds a directive to the manifest (libraries, search paths, metadata, warnings, ...). */
  emit(directive: Directive): void;
  /** Adds every part of a library's link info to the manifest. */
  emitLink(info: LinkInfo): void;
  /** Runs a plugin (once per build; later calls return the same result) and returns its result. */
  use<R>(plugin: Plugin<R>): Promise<R>;
  /** Manifests of workspace dependencies that have a build config, by package name. */
  readonly deps: Readonly<Record<string, Manifest>>;
  readonly log: Logger;
  readonly progress: Progress;
  /** Aborted when the build is cancelled (Ctrl-C, a failed sibling step). */
  readonly signal: AbortSignal;
  /** Per-build memo for plugins (e.g. the detected compiler family), keyed by a string. */
  cache<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/**
 * A plugin: a plain object with a name and a `run` that does its work through the context and
 * returns a typed result (a built or found library, usually).
 */
export interface Plugin<R = unknown> {
  readonly name: string;
  /**
   * The result carries only link inputs (libraries, search paths, rpaths, link flags), never
   * compile flags (includes, defines, cflags): a dependent may compile its own sources while this
   * runs and wait for it only to link. cc's libraries are such results.
   */
  readonly linkOnly?: boolean;
  run(ctx: BuildContext): Promise<R> | R;
  /**
   * Declares the plugin's work as build-graph nodes before anything runs (see `runner/graph.ts`):
   * a planned plugin's `run` then only waits for its nodes.
   */
  plan?(ctx: BuildContext): Promise<PlannedStep<R>>;
}

/** What a node of the build graph does. */
export type NodeKind = 'compile' | 'archive' | 'link' | 'lipo' | 'cmake' | 'custom' | 'finish';

/**
 * One node of the build graph: work with inputs and outputs that runs once every node in
 * `after` is done. `count` is how many `[n/N]` steps it announces when it runs (0 for a node
 * that only records results), known when it is planned.
 */
export interface BuildNode {
  /** Unique in the build: `<step> <kind> <output>`. */
  readonly id: string;
  /** The step it belongs to (`cc:core`). */
  readonly step: string;
  readonly kind: NodeKind;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly after: readonly BuildNode[];
  readonly count: number;
  run(): Promise<void>;
}

/** A plugin's planned work: its nodes, the last of them, and what it will produce. */
export interface PlannedStep<R> {
  nodes: BuildNode[];
  /**
   * Runs after every other node of the step and records it (manifest, artifacts, inputs). Steps
   * are recorded in the order they were planned, whatever order their work finished in, so the
   * manifest of a build is the same bytes every time.
   */
  done: BuildNode;
  /** The node after which the outputs dependents read are complete. Default: `done`. */
  ready?: BuildNode | undefined;
  /** Whether this build rewrites the outputs dependents read (a dependent link must rerun). */
  changes: boolean;
  /**
   * The result, when it is known before the nodes run (a library's link info is: where it will
   * be and how to link it). Dependents then plan against it without waiting.
   */
  value?: R | undefined;
  /** The result, once `done` has run. */
  result(): R;
}

/** A value that can be linked: a library result, or the plugin that produces one. */
export type Linkable = LinkInfo | Plugin<LinkInfo> | Manifest;
