import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { findConfigFile } from '../config/find.js';
import { collectConfigFiles } from '../config/imports.js';
import { loadConfig } from '../config/load.js';
import { isKilnError, KilnError } from '../errors.js';
import { manifestPathFor, readManifestFile, writeManifestFile } from '../manifest/io.js';
import type { Manifest } from '../manifest/schema.js';
import { hostTriple, parseTriple } from '../target/triple.js';
import { writeFileAtomic } from '../util/fs.js';
import { createBuildContext } from './context.js';
import type { EventSink } from './events.js';
import {
  checkFreshness,
  FINGERPRINT_FILE,
  type Fingerprint,
  readFingerprint,
  stampFile,
  storedPath,
} from './fingerprint.js';
import { JobPool } from './jobs.js';
import { acquireLock } from './lock.js';
import { readPackageInfo } from './package.js';
import { outDirFor } from './paths.js';
import { resolveProfile } from './profile.js';
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
  const started = performance.now();
  const root = path.resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const onEvent: EventSink = options.onEvent ?? (() => {});
  const pkg = readPackageInfo(root);
  const host = parseTriple(hostTriple());
  const target = options.target ? parseTriple(options.target) : host;
  const profile = resolveProfile(options.profile, options.release);
  const outDir = outDirFor(root, target.triple, profile.name, options.outBase);
  const manifestPath = manifestPathFor(outDir);
  const version = kilnVersion();
  const query = { kilnVersion: version, features: [], root, env };

  const finishFresh = async (): Promise<BuildResult> => {
    const manifest = await readManifestFile(manifestPath);
    const durationMs = Math.round(performance.now() - started);
    onEvent({ type: 'fresh', package: pkg.name });
    onEvent({ type: 'done', package: pkg.name, fresh: true, durationMs, manifest: manifestPath });
    return { package: pkg.name, fresh: true, manifest, manifestPath, outDir, durationMs };
  };

  let freshness = checkFreshness(readFingerprint(outDir), query);
  if (freshness.fresh && !options.force) return finishFresh();

  const configFile = findConfigFile(root);
  await ensureWritableDir(outDir);
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
    // Another process may have finished the same build while this one waited for the lock.
    freshness = checkFreshness(readFingerprint(outDir), query);
    if (freshness.fresh && !options.force) return await finishFresh();
    const reason = freshness.fresh ? 'forced' : freshness.reason;
    onEvent({ type: 'dirty', package: pkg.name, reason });
    // From here on the previous fingerprint no longer describes the outputs.
    await rm(path.join(outDir, FINGERPRINT_FILE), { force: true });

    const config = await loadConfig(configFile);
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
      signal,
      onEvent,
      deps: options.deps ?? {},
      kilnVersion: version,
    });
    try {
      for (const plugin of config.plugins ?? []) await ctx.use(plugin);
      if (config.build) await config.build(ctx);
    } catch (error) {
      controller.abort(error);
      throw error;
    }

    const configFiles = collectConfigFiles(configFile);
    const inputFiles = [...new Set([...configFiles, ...(options.depFiles ?? []), ...state.files])];
    const envNames = [...state.envReads.keys()].sort();
    const manifest = state.manifest.finish({
      files: inputFiles.map((f) => storedPath(f, root)),
      env: envNames,
    });
    await writeManifestFile(manifestPath, manifest);

    const fingerprint: Fingerprint = {
      version: 1,
      kilnVersion: version,
      target: target.triple,
      profile: profile.name,
      features: [],
      configFile: storedPath(configFile, root),
      files: Object.fromEntries(inputFiles.map((f) => [storedPath(f, root), stampFile(f)])),
      env: Object.fromEntries(envNames.map((n) => [n, env[n] ?? null])),
      outputs: [manifestPath, ...state.artifacts.map((a) => a.path)].map((f) =>
        storedPath(f, root),
      ),
    };
    await writeFileAtomic(
      path.join(outDir, FINGERPRINT_FILE),
      `${JSON.stringify(fingerprint, null, 2)}\n`,
    );
    const durationMs = Math.round(performance.now() - started);
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

async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(path.join(dir, '.kiln'), { recursive: true });
    const probe = path.join(dir, '.kiln', `.probe-${process.pid}`);
    await writeFileAtomic(probe, '');
    await rm(probe, { force: true });
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
