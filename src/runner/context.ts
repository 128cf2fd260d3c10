import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fromSystemError, isKilnError, KilnError } from '../errors.js';
import { ManifestBuilder, type ManifestHeader } from '../manifest/builder.js';
import type { Directive } from '../manifest/directive.js';
import type { Artifact, LinkInfo, Manifest } from '../manifest/schema.js';
import type { Triple } from '../target/triple.js';
import { masqueradeTarget } from '../toolchain/masquerade.js';
import { nowMs } from '../util/clock.js';
import { joinPath } from '../util/paths.js';
import type { EventSink } from './events.js';
import { runProcess } from './exec.js';
import type { JobPool } from './jobs.js';
import type { ChildRegistry } from './process-groups.js';
import { templateExec } from './template.js';
import type { BuildContext, ExecOptions, ExecResult, Plugin, Profile } from './types.js';

export interface ContextParams {
  packageRoot: string;
  packageName: string;
  packageVersion?: string | undefined;
  target: Triple;
  host: Triple;
  profile: Profile;
  outDir: string;
  pool: JobPool;
  env: NodeJS.ProcessEnv;
  verbose: boolean;
  /** `--force`: steps redo their work even where their own state says it is current. */
  force?: boolean;
  signal: AbortSignal;
  onEvent: EventSink;
  deps?: Record<string, Manifest>;
  kilnVersion: string;
  /** Where spawned programs are recorded for crash recovery (the build lock's registry). */
  children?: ChildRegistry | undefined;
  /** Stands in for running programs (a test's fake tool); default: the real process runner. */
  exec?:
    | ((file: string, args: readonly string[], options: ExecOptions) => Promise<ExecResult>)
    | undefined;
}

/** What the runner reads back from a context once the build script is done. */
export interface ContextState {
  envReads: Map<string, string | undefined>;
  files: Set<string>;
  artifacts: Artifact[];
  /** Programs looked up by name on PATH, and what each resolved to. */
  tools: Map<string, string | null>;
  /** Programs found as a compiler cache's masquerade link, and what each runs (`masqueradeTarget`). */
  dispatches: Map<string, string | null>;
  /** Names of the plugins running now (reported when a build never finishes). */
  running: Set<string>;
  /** Names of every plugin used in this build. */
  used: Set<string>;
  manifest: ManifestBuilder;
}

/** The progress steps a job slot announced; closed once the job is over. */
interface JobSteps {
  steps: number[];
  closed: boolean;
}

/** Which job slot (if any) the running code holds, across its awaits. */
const jobSteps = new AsyncLocalStorage<JobSteps>();

export function createBuildContext(p: ContextParams): { ctx: BuildContext; state: ContextState } {
  const header: ManifestHeader = {
    package: {
      name: p.packageName,
      root: p.packageRoot,
      ...(p.packageVersion ? { version: p.packageVersion } : {}),
    },
    target: p.target.triple,
    profile: p.profile.name,
    kilnVersion: p.kilnVersion,
  };
  const state: ContextState = {
    envReads: new Map(),
    files: new Set(),
    artifacts: [],
    tools: new Map(),
    dispatches: new Map(),
    running: new Set(),
    used: new Set(),
    manifest: new ManifestBuilder(header),
  };
  const pkg = p.packageName;
  const used = new Map<Plugin<unknown>, Promise<unknown>>();
  const byName = new Map<string, Plugin<unknown>>();
  const memo = new Map<string, Promise<unknown>>();
  const counter = { n: 0, total: 0 };

  const getEnv = (name: string): string | undefined => {
    const value = p.env[name];
    state.envReads.set(name, value);
    return value;
  };
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_t, key) => (typeof key === 'string' ? getEnv(key) : undefined),
    has: (_t, key) => typeof key === 'string' && getEnv(key) !== undefined,
  });

  const trackFiles = (paths: Iterable<string>) => {
    for (const f of paths) state.files.add(path.resolve(p.packageRoot, f));
  };

  const log = {
    info: (message: string) => p.onEvent({ type: 'log', package: pkg, level: 'info', message }),
    warn: (message: string) => p.onEvent({ type: 'warning', package: pkg, message }),
    debug: (message: string) => p.onEvent({ type: 'log', package: pkg, level: 'debug', message }),
    cache: (stats: {
      step: string;
      wrapper: string;
      hits: number;
      misses: number;
      overlapped: boolean;
    }) => p.onEvent({ type: 'cache', package: pkg, ...stats }),
  };

  const emit = (d: Directive, origin?: { cwd: string }): void => {
    switch (d.type) {
      case 'rerun-if-changed':
        trackFiles(walk(path.resolve(origin?.cwd ?? p.packageRoot, d.path)));
        return;
      case 'rerun-if-env-changed':
        getEnv(d.name);
        return;
      case 'warning':
        p.onEvent({
          type: 'warning',
          package: pkg,
          message: d.message,
          ...(d.step ? { step: d.step } : {}),
          ...(d.count ? { count: d.count } : {}),
          ...(d.color ? { color: d.color } : {}),
        });
        state.manifest.add({ type: 'warning', message: d.message });
        return;
      case 'error':
        throw new KilnError('DIRECTIVE_ERROR', d.message, {
          hint: 'A build step reported this error (kiln:error / ctx.emit).',
        });
      case 'include':
      case 'link-search':
      case 'rpath':
        // Relative paths in directives are relative to the package root.
        state.manifest.add({ ...d, path: path.resolve(origin?.cwd ?? p.packageRoot, d.path) });
        return;
      default:
        break;
    }
    state.manifest.add(d);
  };

  const exec = async (
    file: string,
    args: readonly string[],
    options: ExecOptions = {},
  ): Promise<ExecResult> => {
    if (p.exec) return p.exec(file, args, options);
    const errors: string[] = [];
    const cwd = options.cwd ?? p.packageRoot;
    const result = await runProcess(file, args, options, {
      pool: p.pool,
      env: p.env,
      cwd: p.packageRoot,
      signal: p.signal,
      children: p.children,
      onSpawn: (command, f, a) =>
        p.onEvent({ type: 'exec', package: pkg, command, file: f, args: a }),
      onOutput: (line) => log.debug(line),
      onDirective: (d) => {
        if (d.type === 'error') errors.push(d.message);
        else emit(d, { cwd });
      },
    });
    if (errors.length > 0) {
      throw new KilnError('DIRECTIVE_ERROR', `${file} reported: ${errors.join('; ')}`, {
        command: result.command,
        hint: 'The program printed kiln:error lines; fix what they describe.',
      });
    }
    return result;
  };

  const ctx: BuildContext = {
    packageRoot: p.packageRoot,
    packageName: p.packageName,
    target: p.target,
    host: p.host,
    profile: p.profile,
    outDir: p.outDir,
    jobs: p.pool.size,
    verbose: p.verbose,
    force: p.force ?? false,
    env,
    getEnv,
    trackFiles,
    trackTool: (name, resolved) => {
      if (!name.includes('/') && !name.includes('\\')) state.tools.set(name, resolved ?? null);
      // The program's own file (after symlinks: `cc` → `gcc-12`) is an input: an upgrade rebuilds.
      if (!resolved) return;
      trackFiles([realpathOrSelf(resolved)]);
      // A link to ccache runs the next `cc` on PATH: that compiler is an input too, and which
      // one it is (another `cc` first in line after ccache's folder rebuilds).
      const target = masqueradeTarget(resolved, p.packageRoot);
      if (target === undefined) return;
      state.dispatches.set(name, target);
      if (target) trackFiles([target]);
    },
    addArtifact: (a) => {
      const artifact = { ...a, path: path.resolve(p.packageRoot, a.path) };
      state.artifacts.push(artifact);
      state.manifest.addArtifact(artifact);
    },
    exec,
    $: templateExec(exec),
    withJobs: (count, fn) =>
      p.pool.run(
        count,
        async () => {
          // Steps announced while the slot is held are this job's: they end when it does, which
          // is what lets a terminal show each running job and how long it has been running.
          const job: JobSteps = { steps: [], closed: false };
          try {
            return await jobSteps.run(job, fn);
          } finally {
            job.closed = true;
            for (const n of job.steps) p.onEvent({ type: 'progress-end', package: pkg, n });
          }
        },
        p.signal,
      ),
    distributedJobs: (capacity) => {
      const pool = p.pool.distributed(capacity);
      return { size: pool.size, run: (fn) => pool.run(1, fn, p.signal) };
    },
    emit: (d) => emit(d),
    emitLink: (info: LinkInfo) => state.manifest.addLink(info),
    use: <R>(plugin: Plugin<R>): Promise<R> => {
      let pending = used.get(plugin as Plugin<unknown>) as Promise<R> | undefined;
      if (!pending) {
        const other = byName.get(plugin.name);
        if (other && other !== plugin) {
          // Two steps of one name share a step directory and state: each would overwrite the
          // other's outputs and both would rebuild forever.
          throw new KilnError('STEP_NAME_CLASH', `two build steps are named "${plugin.name}"`, {
            hint: 'Give each step its own name (e.g. cc({ name: "core" }) and cc({ name: "extra" })), or reuse one plugin object for the same step.',
          });
        }
        byName.set(plugin.name, plugin as Plugin<unknown>);
        state.used.add(plugin.name);
        pending = (async () => {
          p.signal.throwIfAborted();
          const started = nowMs();
          p.onEvent({ type: 'plugin-start', package: pkg, plugin: plugin.name });
          state.running.add(plugin.name);
          try {
            const result = await plugin.run(ctx);
            p.onEvent({
              type: 'plugin-end',
              package: pkg,
              plugin: plugin.name,
              durationMs: Math.round(nowMs() - started),
            });
            return result;
          } catch (error) {
            p.onEvent({
              type: 'plugin-end',
              package: pkg,
              plugin: plugin.name,
              durationMs: Math.round(nowMs() - started),
              ok: false,
            });
            throw pluginError(plugin.name, error);
          } finally {
            state.running.delete(plugin.name);
          }
        })();
        used.set(plugin as Plugin<unknown>, pending);
      }
      return pending;
    },
    deps: p.deps ?? {},
    log,
    progress: {
      plan: (count) => {
        counter.total += count;
      },
      step: (step, what) => {
        counter.n += 1;
        if (counter.n > counter.total) counter.total = counter.n;
        const job = jobSteps.getStore();
        const inJob = !!job && !job.closed;
        if (inJob) job.steps.push(counter.n);
        p.onEvent({
          type: 'progress',
          package: pkg,
          n: counter.n,
          total: counter.total,
          step,
          what,
          ...(inJob ? { job: true as const } : {}),
        });
      },
    },
    signal: p.signal,
    cache: <T>(key: string, compute: () => Promise<T>): Promise<T> => {
      let v = memo.get(key) as Promise<T> | undefined;
      if (!v) {
        v = compute();
        memo.set(key, v);
      }
      return v;
    },
  };
  return { ctx, state };
}

function realpathOrSelf(file: string): string {
  try {
    // One realpath(3) call: the JavaScript realpathSync lstats each component of the path.
    return realpathSync.native(file);
  } catch {
    return file;
  }
}

/**
 * A plugin's failure names the plugin: a KilnError keeps its code and message and gains the
 * plugin's name (unless a plugin it used already claimed it: the innermost is the one that
 * failed); anything else becomes PLUGIN_FAILED. Cancellations pass through untouched.
 */
function pluginError(name: string, error: unknown): unknown {
  if ((error as Error | undefined)?.name === 'AbortError') return error;
  const known = isKilnError(error) ? error : fromSystemError(error);
  if (known) {
    known.plugin ??= name;
    return known;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return new KilnError('PLUGIN_FAILED', `the plugin "${name}" failed: ${err.message}`, {
    hint: `The error was thrown inside the plugin ${name}; the details show where. If the plugin is yours, fix it there; otherwise report it to its authors with these details.`,
    details: err.stack,
    plugin: name,
    cause: error,
  });
}

/** A tracked directory stands for every file below it (Cargo compares the newest mtime inside). */
function walk(target: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(target);
  } catch {
    return [target];
  }
  if (!st.isDirectory()) return [target];
  const out: string[] = [];
  for (const entry of readdirSync(target, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(joinPath(entry.parentPath, entry.name));
  }
  return out;
}
