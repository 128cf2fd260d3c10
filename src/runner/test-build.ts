/**
 * The test build behind `kilnjs/testing` (see src/testing.ts); Kiln's own tests also read the
 * runner's state through `createInternalTestBuild`.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../manifest/schema.js';
import { hostTriple, parseTriple } from '../target/triple.js';
import { type ContextState, createBuildContext } from './context.js';
import type { BuildEvent } from './events.js';
import { storedPath } from './fingerprint.js';
import { JobPool } from './jobs.js';
import { resolveProfile } from './profile.js';
import type { BuildContext, ExecOptions, ExecResult, Plugin, Profile } from './types.js';
import { kilnVersion } from './version.js';

export interface TestBuildOptions {
  /** The package root; default: a new temp folder with a package.json. */
  root?: string;
  /** Files written into the package root before the build (relative path → text). */
  files?: Record<string, string>;
  /** The package's name; default: package.json's `name`, else `test-package`. */
  packageName?: string;
  /** Target triple; default: the host. */
  target?: string;
  /** Host triple; default: the machine running the test. */
  host?: string;
  /** `debug` (default), `release`, or a whole profile. */
  profile?: 'debug' | 'release' | Profile;
  /** Where steps write; default: a new temp folder. */
  outDir?: string;
  /** The whole environment the build sees (reads are tracked); default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Job pool size; default: 2. */
  jobs?: number;
  verbose?: boolean;
  force?: boolean;
  /** Manifests of workspace dependencies (`ctx.deps`). */
  deps?: Record<string, Manifest>;
  /** Cancels the build (as Ctrl-C would). */
  signal?: AbortSignal;
  /** Sees each event as it happens (after it is captured). */
  onEvent?: (event: BuildEvent) => void;
  /**
   * Stands in for every program the build runs (`ctx.exec`, `ctx.$`): a fake tool. Default: run
   * the real programs. A stand-in's stdout is not parsed for directives.
   */
  exec?: (file: string, args: readonly string[], options: ExecOptions) => Promise<ExecResult>;
}

/** What a test build tracked as inputs of the build. */
export interface TestBuildInputs {
  /** Absolute paths of the files the build depends on. */
  files: string[];
  /** Environment variables read, with the values seen. */
  env: Record<string, string | undefined>;
  /** Programs looked up by name, and what each resolved to (null: not found). */
  tools: Record<string, string | null>;
}

export interface TestBuild {
  /** The build context; pass it to `plugin.run(ctx)` or use `run`. */
  readonly ctx: BuildContext;
  readonly root: string;
  readonly outDir: string;
  /** Every event so far, in order. */
  readonly events: BuildEvent[];
  /** Runs a plugin as a build does (`ctx.use`: once per build, events, failures named). */
  run<R>(plugin: Plugin<R>): Promise<R>;
  /** The manifest the build would write now. */
  manifest(): Manifest;
  /** The inputs tracked so far. */
  inputs(): TestBuildInputs;
  /** `STEP what` of every progress event (`CC src/a.c`), in order. */
  steps(): string[];
  /** Log lines as `info: …`, `debug: …` and `warn: …`, in order. */
  logs(): string[];
}

/** The test build with the runner's own state (for Kiln's tests; not exported by the package). */
export interface InternalTestBuild extends TestBuild {
  readonly state: ContextState;
}

/** A real build context over a temp package root (or `options.root`). */
export function createTestBuild(options: TestBuildOptions = {}): TestBuild {
  return createInternalTestBuild(options);
}

/** The same, with the runner's state. */
export function createInternalTestBuild(options: TestBuildOptions = {}): InternalTestBuild {
  const root = options.root ?? mkdtempSync(path.join(os.tmpdir(), 'kiln-test-build-'));
  const packageJson = path.join(root, 'package.json');
  if (!options.root) {
    writeFileSync(
      packageJson,
      `${JSON.stringify({ name: options.packageName ?? 'test-package', version: '0.0.0' }, null, 2)}\n`,
    );
  }
  for (const [rel, text] of Object.entries(options.files ?? {})) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  const events: BuildEvent[] = [];
  const host = parseTriple(options.host ?? hostTriple());
  const profile =
    typeof options.profile === 'object'
      ? options.profile
      : resolveProfile(options.profile ?? 'debug');
  const outDir = options.outDir ?? mkdtempSync(path.join(os.tmpdir(), 'kiln-test-out-'));
  const { ctx, state } = createBuildContext({
    packageRoot: root,
    packageName: options.packageName ?? nameOf(packageJson) ?? 'test-package',
    target: options.target ? parseTriple(options.target) : host,
    host,
    profile,
    outDir,
    pool: new JobPool(options.jobs ?? 2),
    env: options.env ?? process.env,
    verbose: options.verbose ?? false,
    force: options.force ?? false,
    signal: options.signal ?? new AbortController().signal,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
    deps: options.deps ?? {},
    kilnVersion: kilnVersion(),
    exec: options.exec,
  });
  return {
    ctx,
    state,
    root,
    outDir,
    events,
    run: (plugin) => ctx.use(plugin),
    manifest: () =>
      state.manifest.finish({
        // As the runner stores them: relative inside the package, absolute outside it.
        files: [...new Set([...state.files].map((f) => storedPath(f, root)))].sort(),
        env: [...state.envReads.keys()].sort(),
      }),
    inputs: () => ({
      files: [...state.files],
      env: Object.fromEntries(state.envReads),
      tools: Object.fromEntries(state.tools),
    }),
    steps: () => events.flatMap((e) => (e.type === 'progress' ? [`${e.step} ${e.what}`] : [])),
    logs: () =>
      events.flatMap((e) =>
        e.type === 'log'
          ? [`${e.level}: ${e.message}`]
          : e.type === 'warning'
            ? [`warn: ${e.message}`]
            : [],
      ),
  };
}

function nameOf(packageJson: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(packageJson, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
