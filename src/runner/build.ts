import { accessSync, constants, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { KilnConfig } from '../config/define.js';
import { findConfigFile } from '../config/find.js';
import { isKilnError, KilnError } from '../errors.js';
import { resolveLocation } from '../location/index.js';
import { manifestPathFor, readManifestFile, writeManifestFile } from '../manifest/io.js';
import type { Manifest } from '../manifest/schema.js';
import {
  fsNow,
  restampSync,
  settle,
  stampWrittenSync,
  sweepTemps,
  writeState,
} from '../state/index.js';
import { nowMs } from '../util/clock.js';
import { isInside, removeFile } from '../util/fs.js';
import { nextTurn } from '../util/next-turn.js';
import { byCodeUnit } from '../util/order.js';
import { createBuildContext } from './context.js';
import type { EventSink } from './events.js';
import {
  checkFreshness,
  FINGERPRINT,
  FINGERPRINT_FILE,
  type Fingerprint,
  readFingerprint,
  storedPath,
} from './fingerprint.js';
import { buildGraph, runDeclared } from './graph.js';
import { JobPool } from './jobs.js';
import { acquireLock } from './lock.js';
import { claimOutDir, recordOutputs } from './out-dir.js';
import { readPackageInfo } from './package.js';
import { judgeFingerprint, planInputFiles } from './recorded-plan.js';
import { recordPlan, replayPlan } from './replay.js';
import type { BuildContext } from './types.js';
import { kilnVersion } from './version.js';

export interface BuildOptions {
  /** Package root (where package.json and build.config.* live). Default: process.cwd(). */
  cwd?: string;
  /** Target triple. Default: the host. */
  target?: string;
  /** `release` (default) or `debug`. */
  profile?: string;
  /** Shorthand for `profile: 'release'`. */
  release?: boolean;
  /** Size of the job pool. Default: os.availableParallelism(). Ignored when `pool` is given. */
  jobs?: number;
  /** A job pool shared with other builds (workspaces). */
  pool?: JobPool;
  /** Environment the build reads and passes to programs. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  verbose?: boolean;
  /** Receives every event (progress, fresh/dirty, exec, warnings, errors). */
  onEvent?: EventSink;
  /** Cancels the build: running programs are killed and nothing is marked fresh. */
  signal?: AbortSignal;
  /** Base folder for outputs, relative to the package root. Default: build/kiln. */
  outBase?: string;
  /** Manifests of workspace dependencies, by package name. */
  deps?: Record<string, Manifest>;
  /** Their manifest files: inputs of this build, so a dependency's new manifest makes it dirty. */
  depFiles?: string[];
  /** Rebuild even when fresh. */
  force?: boolean;
  /** PATH lookups shared by the packages of one workspace build (see `FreshnessQuery`). */
  toolLookups?: Map<string, string | null>;
}

export interface BuildResult {
  package: string;
  fresh: boolean;
  /** Why the build ran, when it was not fresh. */
  reason?: string;
  manifest: Manifest;
  manifestPath: string;
  outDir: string;
  durationMs: number;
}

/** Runs a package's build config (or reports it fresh) and returns its link manifest. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  return (await runBuild(options, false))!;
}

/**
 * The build, when it is fresh or its recorded plan can be replayed (only sources or headers
 * changed); undefined, having changed nothing, when the config must run. The command's quick
 * path uses it: it carries no config loader.
 */
export function replayBuild(options: BuildOptions = {}): Promise<BuildResult | undefined> {
  return runBuild(options, true);
}

async function runBuild(
  options: BuildOptions,
  replayOnly: boolean,
): Promise<BuildResult | undefined> {
  const started = nowMs();
  const { root, host, target, profile, outDir } = resolveLocation(options);
  const env = options.env ?? process.env;
  const onEvent: EventSink = options.onEvent ?? (() => {});
  const pkg = readPackageInfo(root);
  const manifestPath = manifestPathFor(outDir);
  const version = kilnVersion();
  const query = { kilnVersion: version, features: [], root, env, toolLookups: options.toolLookups };

  const finishFresh = async (): Promise<BuildResult> => {
    const manifest = await readManifestFile(manifestPath);
    const durationMs = Math.round(nowMs() - started);
    onEvent({ type: 'fresh', package: pkg.name });
    onEvent({ type: 'done', package: pkg.name, fresh: true, durationMs, manifest: manifestPath });
    return { package: pkg.name, fresh: true, manifest, manifestPath, outDir, durationMs };
  };

  // Fresh without the lock; the quick path (replayOnly) came here because it was not.
  if (!replayOnly && !options.force && checkFreshness(readFingerprint(outDir), query).fresh) {
    return finishFresh();
  }

  const configFile = findConfigFile(root);
  await claimOutDir(root, outDir, options.outBase);
  ensureWritableDir(outDir);
  onEvent({
    type: 'start',
    package: pkg.name,
    target: target.triple,
    profile: profile.name,
    outDir,
  });

  const controller = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, controller.signal])
    : controller.signal;
  const lock = await acquireLock(
    outDir,
    (message) => onEvent({ type: 'waiting', package: pkg.name, message }),
    signal,
  );
  try {
    // Every input is stamped against this moment: one that changes after it may not be what
    // the build read (the plan judged just below included), so it is recorded as unstable and
    // the next build redoes the work.
    const usedFrom = fsNow(outDir);
    // Another process may have finished the same build while this one waited for the lock.
    const previous = readFingerprint(outDir);
    checkOwner(previous, root, outDir, pkg.name);
    // Only what compile units read changed: the recorded plan is the one the config would make.
    const judged = judgeFingerprint(previous, query);
    const freshness = judged.freshness;
    if (freshness.fresh && !options.force) return await finishFresh();
    const replay = options.force ? undefined : judged.replay;
    if (replayOnly && !replay) return undefined;
    const reason = freshness.fresh ? 'forced' : freshness.reason;
    onEvent({ type: 'dirty', package: pkg.name, reason });
    // From here on the previous fingerprint no longer describes the outputs.
    removeFingerprint(outDir);
    if (replay) {
      onEvent({
        type: 'log',
        package: pkg.name,
        level: 'debug',
        message:
          'only sources or headers changed: planning as the last build did, without the config',
      });
    }
    // Loaded only on this path: a replayed build reads no config.
    const configLoader = replay ? undefined : await import('../config/load.js');
    const config = await configLoader?.loadConfig(configFile, {
      cacheDir: configCacheBase(root, outDir),
    });
    const { ctx, state } = createBuildContext({
      packageRoot: root,
      packageName: pkg.name,
      packageVersion: pkg.version,
      target,
      host,
      profile,
      outDir,
      pool: options.pool ?? new JobPool(options.jobs),
      env,
      verbose: options.verbose ?? false,
      force: options.force ?? false,
      signal,
      onEvent,
      deps: options.deps ?? {},
      kilnVersion: version,
      children: lock.children,
    });
    const work = config
      ? runConfig(config, ctx, configFile, configLoader!.buildScriptError)
      : replayPlan(ctx, replay!);
    // What a killed build left half-written (its writer is gone) is never read. It is removed
    // while this build's programs run: the walk of the outDir delays no compile.
    const swept = nextTurn().then(() => void sweepTemps(outDir));
    swept.catch(() => {}); // awaited (and its error reported) once the work has succeeded
    try {
      await untilSettled(work, state.running, signal);
    } catch (error) {
      controller.abort(error);
      throw error;
    }

    const inputFiles = [
      ...new Set([
        path.join(root, 'package.json'),
        ...(replay
          ? planInputFiles(replay, root)
          : (await import('../config/imports.js')).collectConfigFiles(configFile)),
        ...(options.depFiles ?? []),
        ...state.files,
      ]),
    ].sort(); // Sorted: the manifest of the same build is the same bytes whatever finished first.
    // A replayed build read what the config read: the same variables and programs, unchanged.
    if (replay) {
      for (const name of Object.keys(previous!.env)) state.envReads.set(name, env[name]);
      for (const [name, resolved] of Object.entries(previous!.tools)) {
        if (!state.tools.has(name)) state.tools.set(name, resolved);
      }
      for (const [name, target] of Object.entries(previous!.dispatches ?? {})) {
        if (!state.dispatches.has(name)) state.dispatches.set(name, target);
      }
    }
    const plan =
      replay ??
      recordPlan(await buildGraph(ctx), state, config?.build !== undefined, inputFiles, root);
    const envNames = [...state.envReads.keys()].sort();
    const manifest = state.manifest.finish({
      files: inputFiles.map((f) => storedPath(f, root)),
      env: envNames,
    });
    await writeManifestFile(manifestPath, manifest);
    // Each output is hashed once: the fingerprint checks it, clean's ledger removes it.
    const outputs = new Map(
      [manifestPath, ...state.artifacts.map((a) => a.path)].map((f) => [f, stampWrittenSync(f)]),
    );
    await recordOutputs(root, outDir, outputs);

    const takenAt = fsNow(outDir);
    const fingerprint: Fingerprint = {
      kilnVersion: version,
      node: process.version,
      target: target.triple,
      profile: profile.name,
      features: [],
      package: { name: pkg.name, root },
      configFile: storedPath(configFile, root),
      files: Object.fromEntries(
        inputFiles.map((f) => {
          const stored = storedPath(f, root);
          const s = restampSync(f, previous?.files[stored], takenAt);
          // Files under the outDir are the build's own products (generated headers): written
          // during the build by design, they are judged by content only.
          return [stored, isInside(f, outDir) ? s : settle(f, s, usedFrom)];
        }),
      ),
      env: Object.fromEntries(envNames.map((n) => [n, env[n] ?? null])),
      tools: Object.fromEntries([...state.tools].sort(([a], [b]) => byCodeUnit(a, b))),
      ...(state.dispatches.size > 0
        ? {
            dispatches: Object.fromEntries(
              [...state.dispatches].sort(([a], [b]) => byCodeUnit(a, b)),
            ),
          }
        : {}),
      outputs: Object.fromEntries([...outputs].map(([f, s]) => [storedPath(f, root), s])),
      ...(plan ? { plan } : {}),
    };
    await swept;
    await writeState(path.join(outDir, FINGERPRINT_FILE), FINGERPRINT, fingerprint);
    const durationMs = Math.round(nowMs() - started);
    onEvent({ type: 'done', package: pkg.name, fresh: false, durationMs, manifest: manifestPath });
    return { package: pkg.name, fresh: false, reason, manifest, manifestPath, outDir, durationMs };
  } catch (error) {
    const err = isKilnError(error)
      ? error
      : signal.aborted && options.signal?.aborted
        ? new KilnError('INTERRUPTED', 'Build interrupted', { cause: error })
        : error;
    throw err;
  } finally {
    await lock.release();
  }
}

/** The config's plugins, then its `build(ctx)`; a throw from the user's own code names its line. */
async function runConfig(
  config: KilnConfig,
  ctx: BuildContext,
  configFile: string,
  buildScriptError: (error: unknown, configFile: string) => unknown,
): Promise<void> {
  await runDeclared(ctx, config.plugins ?? []);
  if (!config.build) return;
  try {
    await config.build(ctx);
  } catch (error) {
    throw buildScriptError(error, configFile);
  }
}

/**
 * Waits for the build script, failing instead of exiting silently when it can never finish: a
 * promise that never settles leaves Node's event loop empty, which `beforeExit` reports.
 */
function untilSettled(
  work: Promise<void>,
  running: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      const steps = [...running];
      reject(
        new KilnError(
          'BUILD_STALLED',
          steps.length
            ? `the build step ${steps.map((s) => `"${s}"`).join(', ')} never finished: its promise never settled`
            : 'the build script never finished: its promise never settled',
          {
            hint: 'A plugin or build(ctx) awaited something that can never happen (a promise never resolved, an event that never fires). Make sure every promise it returns settles.',
          },
        ),
      );
    };
    process.once('beforeExit', onDrain);
    const done = () => process.off('beforeExit', onDrain);
    signal.addEventListener('abort', done, { once: true });
    work.then(
      (v) => {
        done();
        resolve(v);
      },
      (e: unknown) => {
        done();
        reject(e);
      },
    );
  });
}

/**
 * Two packages must never share an outDir: each would report the other's build as its own. A
 * fingerprint from another root that still holds a package, in an outDir outside this
 * package, is such a clash; one from a root that no longer exists is this package, moved.
 */
function checkOwner(fp: Fingerprint | undefined, root: string, outDir: string, name: string) {
  if (!fp || fp.package.root === root || isInside(outDir, root)) return;
  if (!existsSync(path.join(fp.package.root, 'package.json'))) return;
  throw new KilnError(
    'OUTDIR_CLASH',
    `${outDir} holds the build of ${fp.package.name} (${fp.package.root}); ${name} cannot build into it`,
    {
      hint: 'Give each package its own --out-dir (the default, build/kiln inside the package, always is).',
    },
  );
}

/**
 * Where the compiled config is kept: the package's `node_modules/.cache/kiln` when it has a
 * `node_modules` (where other tools keep their caches), so every target and profile shares it
 * and a removed outDir does not make the next build compile the config again; else the outDir.
 * Its entries are keyed by the content of the config and its imports.
 */
/** The fingerprint file in one unlink; whatever else took its name, as `rm -rf` would. */
function removeFingerprint(outDir: string): void {
  const file = path.join(outDir, FINGERPRINT_FILE);
  try {
    removeFile(file);
  } catch {
    rmSync(file, { recursive: true, force: true });
  }
}

function configCacheBase(root: string, outDir: string): string {
  const modules = path.join(root, 'node_modules');
  return existsSync(modules) ? path.join(modules, '.cache', 'kiln') : outDir;
}

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(path.join(dir, '.kiln'), { recursive: true });
    // What the kernel would answer to a write (permissions, a read-only mount: EROFS).
    accessSync(path.join(dir, '.kiln'), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KilnError(
      'OUTDIR_UNWRITABLE',
      `Cannot write to the output directory ${dir} (${code ?? String(error)})`,
      {
        hint: 'Check that the path is a writable folder (not a file, not read-only), or choose another with --out-dir.',
        cause: error,
      },
    );
  }
}
