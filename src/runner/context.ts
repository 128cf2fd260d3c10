import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';
import { ManifestBuilder, type ManifestHeader } from '../manifest/builder.js';
import type { Directive } from '../manifest/directive.js';
import type { Artifact, LinkInfo, Manifest } from '../manifest/schema.js';
import type { Triple } from '../target/triple.js';
import type { EventSink } from './events.js';
import { runProcess } from './exec.js';
import type { JobPool } from './jobs.js';
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
  signal: AbortSignal;
  onEvent: EventSink;
  deps?: Record<string, Manifest>;
  kilnVersion: string;
}

/** What the runner reads back from a context once the build script is done. */
export interface ContextState {
  envReads: Map<string, string | undefined>;
  files: Set<string>;
  artifacts: Artifact[];
  manifest: ManifestBuilder;
}

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
    manifest: new ManifestBuilder(header),
  };
  const pkg = p.packageName;
  const used = new Map<Plugin<unknown>, Promise<unknown>>();
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
    const errors: string[] = [];
    const cwd = options.cwd ?? p.packageRoot;
    const result = await runProcess(file, args, options, {
      pool: p.pool,
      env: p.env,
      cwd: p.packageRoot,
      signal: p.signal,
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
    env,
    getEnv,
    trackFiles,
    addArtifact: (a) => {
      const artifact = { ...a, path: path.resolve(p.packageRoot, a.path) };
      state.artifacts.push(artifact);
      state.manifest.addArtifact(artifact);
    },
    exec,
    withJobs: (count, fn) => p.pool.run(count, fn, p.signal),
    emit: (d) => emit(d),
    emitLink: (info: LinkInfo) => state.manifest.addLink(info),
    use: <R>(plugin: Plugin<R>): Promise<R> => {
      let pending = used.get(plugin as Plugin<unknown>) as Promise<R> | undefined;
      if (!pending) {
        pending = (async () => {
          p.signal.throwIfAborted();
          const started = performance.now();
          p.onEvent({ type: 'plugin-start', package: pkg, plugin: plugin.name });
          const result = await plugin.run(ctx);
          p.onEvent({
            type: 'plugin-end',
            package: pkg,
            plugin: plugin.name,
            durationMs: Math.round(performance.now() - started),
          });
          return result;
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
        p.onEvent({
          type: 'progress',
          package: pkg,
          n: counter.n,
          total: counter.total,
          step,
          what,
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
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}
