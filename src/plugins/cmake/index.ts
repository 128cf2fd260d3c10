import path from 'node:path';
import type { LinkInfo } from '../../manifest/schema.js';
import { buildGraph, plannedPlugin, workNode } from '../../runner/graph.js';
import type { BuildContext, BuildNode, PlannedStep, Plugin } from '../../runner/types.js';
import { fsNow } from '../../state/index.js';
import { resolveToolchain } from '../../toolchain/index.js';
import type { Toolchain } from '../../toolchain/types.js';
import { runBuild, runInstall } from './build.js';
import { cmakeJsSetup, detectCmakeJs } from './cmake-js.js';
import { decideConfigure, runConfigure } from './configure.js';
import {
  type CmakeModule,
  type CmakeTarget,
  type Discovery,
  discover,
  readInstallManifest,
} from './discover.js';
import { cacheValue, type Reply, readReply } from './file-api.js';
import { chooseGenerator } from './generator.js';
import { filterDeps, headerDeps } from './header-deps.js';
import {
  buildNeeded,
  checkSource,
  configureFilesOf,
  sourcesOf,
  systemIncludeDirs,
} from './inputs.js';
import { findCmake, locateCmake } from './locate.js';
import { type CmakeOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { makePlan } from './plan.js';
import { buildTypeFor } from './settings.js';
import { type CmakeState, readState, stampFiles, stampOutputs, writeState } from './state.js';

export type { CmakeModule, CmakeTarget } from './discover.js';
export type { CmakeOptions, DefineValue } from './options.js';

/** What `cmake(...)` returns: the link info of the libraries it found, plus where things are. */
export interface CmakeProject extends LinkInfo {
  /** The step's name (`<outDir>/cmake/<name>`). */
  name: string;
  sourceDir: string;
  buildDir: string;
  installDir: string;
  /** The reported library targets, dependents before dependencies. */
  targets: CmakeTarget[];
  /** Loadable modules the project built (Node addons): artifacts, not link inputs. */
  modules: CmakeModule[];
  /** For a cmake-js project: the folder its addon and shared libraries were written to. */
  addonDir: string | undefined;
  /** What this run did: configure and build are skipped when nothing they read changed. */
  configured: boolean;
  built: boolean;
}

/** Seams for tests (a toolchain for a target this machine has no compiler for). */
export interface CmakeHooks {
  resolveToolchain: (ctx: BuildContext) => Promise<Toolchain>;
}

/**
 * Builds a bundled CMake project (configure, build, install into the outDir) and reports the
 * libraries it produced, discovered through the CMake File API.
 *
 * ```ts
 * export default defineConfig({ plugins: [cmake({ source: 'vendor/foo' })] });
 * ```
 */
export function cmake(options: CmakeOptions): Plugin<CmakeProject> {
  return cmakeWith(options, { resolveToolchain: (ctx) => resolveToolchain(ctx) });
}

/** `cmake()` with the toolchain discovery replaced (tests; tools that bring their own compilers). */
export function cmakeWith(options: CmakeOptions, hooks: CmakeHooks): Plugin<CmakeProject> {
  const resolved = resolveOptions(options);
  return plannedPlugin(`cmake:${resolved.name}`, (ctx, step) =>
    planCmake(ctx, resolved, hooks, step),
  );
}

/**
 * The project as build-graph nodes: configure (when a configure input changed), build and install
 * (when configured or a build input changed), each one `[n/N]` step decided before anything runs;
 * then the node that discovers the libraries and records them. Libraries of planned steps named in
 * `deps` are waited for by the configure, not run first.
 */
async function planCmake(
  ctx: BuildContext,
  opts: ResolvedOptions,
  hooks: CmakeHooks,
  step: string,
): Promise<PlannedStep<CmakeProject>> {
  const graph = await buildGraph(ctx);
  const sourceDir = checkSource(ctx, opts.source);
  const stepDir = path.join(ctx.outDir, 'cmake', opts.name);
  const state = await readState(stepDir);
  // Found first (synchronously), so a missing cmake is the error reported, not a compiler's.
  const cmakePath = findCmake(ctx);
  const userToolchain = opts.toolchainFile
    ? path.resolve(ctx.packageRoot, opts.toolchainFile)
    : undefined;
  // A user toolchain file owns the compilers (cmake-rs does the same); otherwise Kiln's cc
  // discovery does. Independent probes (cmake's capabilities, compiler detection, deps) run side by side.
  const [cmakeInstall, toolchain, deps] = await Promise.all([
    locateCmake(ctx, cmakePath, state?.cmake),
    userToolchain ? undefined : hooks.resolveToolchain(ctx),
    Promise.all(
      Object.entries(opts.deps ?? {}).map(
        async ([prefix, dep]) =>
          [prefix, await graph.dependency(dep as LinkInfo | Plugin<LinkInfo>)] as const,
      ),
    ),
  ]);
  const generator = chooseGenerator(ctx, cmakeInstall, opts.generator);
  const buildType = opts.buildType ?? buildTypeFor(ctx.profile);
  const cmakeJs =
    (opts.cmakeJs ?? detectCmakeJs(ctx.packageRoot, sourceDir))
      ? await cmakeJsSetup(ctx, stepDir, toolchain)
      : undefined;

  const plan = await makePlan(ctx, opts, {
    sourceDir,
    stepDir,
    cmake: cmakeInstall,
    generator,
    toolchain,
    userToolchain,
    deps: Object.fromEntries(deps.map(([prefix, d]) => [prefix, d.value])),
    buildType,
    cmakeJs,
  });
  const depsDone = deps.flatMap(([, d]) => (d.done ? [d.done] : []));
  const { buildDir, installDir } = plan;

  const decision = await decideConfigure(plan, state);
  const selection = JSON.stringify(opts.targets ?? null);
  // Decided now, from the state as it is: a configure always builds, and so does a library of
  // `deps` that this build rewrites.
  const buildReason =
    decision.action === 'configure'
      ? 'configured'
      : deps.some(([, d]) => d.changes)
        ? 'a library in deps is rebuilt'
        : await buildNeeded({ ...state!, cmake: cmakeInstall }, ctx.force);
  let reply: Reply | undefined;
  let configured = false;
  let built = false;
  let discovered: Discovery | undefined;
  let current: CmakeState = { ...state!, cmake: cmakeInstall };

  const configure = async (
    decided: Extract<typeof decision, { action: 'configure' }>,
  ): Promise<void> => {
    ctx.log.info(`cmake ${opts.name}: configuring (${decided.reason})`);
    const configureFrom = fsNow(ctx.outDir);
    await runConfigure(ctx, plan, decided);
    configured = true;
    reply = await readReply(buildDir, buildType);
    current = {
      cmake: cmakeInstall,
      fresh: plan.fresh,
      defines: Object.fromEntries(plan.defines),
      envInputs: plan.envInputs,
      configureArgs: plan.configureArgs,
      configureInputs: await stampFiles(configureFilesOf(reply, stepDir), {
        usedFrom: configureFrom,
        takenAt: fsNow(ctx.outDir),
      }),
    };
    await writeState(stepDir, current);
  };

  const buildAndInstall = async () => {
    if (!configured) ctx.log.info(`cmake ${opts.name}: building (${buildReason})`);
    const buildFrom = fsNow(ctx.outDir);
    await runBuild(ctx, plan, { buildType, buildArgs: opts.buildArgs ?? [] });
    built = true;
    // `cmake --build` re-runs CMake itself when a configure input changed under it: read again.
    reply = await readReply(buildDir, buildType);
    const makeProgram = cacheValue(reply, 'CMAKE_MAKE_PROGRAM');
    // Installing and asking Ninja for the header deps read the finished tree only: side by side.
    const [, headers] = await Promise.all([
      // cmake-js never installs: its projects' install rules are untested and may name absolute
      // places (`${CMAKE_PREFIX_PATH}/lib` with an empty prefix path is `/lib`).
      cmakeJs ? undefined : runInstall(ctx, plan, buildType),
      headerDeps(ctx, { buildDir, generator: generator.name, makeProgram }),
    ]);
    const inputs = [
      ...sourcesOf(reply),
      ...filterDeps(headers, buildDir, systemIncludeDirs(reply)),
    ];
    discovered = await discover({
      reply,
      buildDir,
      installDir,
      selected: opts.targets,
      installed: !cmakeJs,
    });
    const outputs = [
      ...(await readInstallManifest(buildDir)),
      ...discovered.targets.map((t) => t.buildPath),
      ...(discovered.modules ?? []).map((m) => m.path),
    ];
    const builtClock = { usedFrom: buildFrom, takenAt: fsNow(ctx.outDir) };
    current = {
      ...current,
      configureInputs: await stampFiles(configureFilesOf(reply, stepDir), builtClock),
      built: {
        inputs: await stampFiles(inputs, builtClock),
        outputs: await stampOutputs(outputs),
        selection,
        discovery: discovered,
      },
    };
    await writeState(stepDir, current);
  };

  const finish = async (): Promise<CmakeProject> => {
    if (!built && current.built?.selection === selection && current.built.discovery) {
      // Nothing was configured or built: what the last build discovered still holds.
      discovered = current.built.discovery;
    }
    discovered ??= await discover({
      reply: reply ?? (await readReply(buildDir, buildType)),
      buildDir,
      installDir,
      selected: opts.targets,
      installed: !cmakeJs,
    });
    ctx.trackFiles([
      ...(userToolchain ? [userToolchain] : []),
      // cmake-js settings (runtime, arch, napi_versions) and the headers choice come from it.
      ...(cmakeJs ? [path.join(ctx.packageRoot, 'package.json')] : []),
      ...Object.keys(current.configureInputs),
      ...Object.keys(current.built?.inputs ?? {}),
    ]);
    ctx.emitLink(discovered.link);
    for (const t of discovered.targets) {
      ctx.addArtifact({
        kind: t.kind === 'static' ? 'static-lib' : 'shared-lib',
        path: t.path,
        step: `cmake:${opts.name}`,
      });
      if (t.runtime)
        ctx.addArtifact({ kind: 'shared-lib', path: t.runtime, step: `cmake:${opts.name}` });
    }
    for (const m of discovered.modules ?? []) {
      ctx.addArtifact({ kind: m.kind, path: m.path, step: `cmake:${opts.name}` });
    }
    return project(discovered);
  };
  const project = (found: Discovery): CmakeProject => ({
    ...found.link,
    name: opts.name,
    sourceDir,
    buildDir,
    installDir,
    targets: found.targets,
    modules: found.modules ?? [],
    addonDir: cmakeJs?.outputDir,
    configured,
    built,
  });
  // Nothing to configure or build: what the last build discovered is the result, known now, so
  // a step linking it plans against it without waiting.
  const stored =
    decision.action !== 'configure' && !buildReason && current.built?.selection === selection
      ? current.built.discovery
      : undefined;

  const nodes: BuildNode[] = [];
  if (decision.action === 'configure') {
    nodes.push(
      workNode(
        step,
        'cmake',
        `configure ${buildDir}`,
        { count: 1, run: () => configure(decision) },
        depsDone,
      ),
    );
  }
  if (buildReason) {
    nodes.push(
      workNode(
        step,
        'cmake',
        `build ${buildDir}`,
        // cmake --build, then cmake --install (cmake-js projects are not installed).
        { count: cmakeJs ? 1 : 2, outputs: [installDir], run: buildAndInstall },
        [...nodes, ...depsDone],
      ),
    );
  }
  let result: CmakeProject | undefined;
  const done = workNode(
    step,
    'finish',
    buildDir,
    {
      count: 0,
      run: async () => {
        result = await finish();
      },
    },
    [...nodes, ...depsDone],
  );
  nodes.push(done);
  return {
    nodes,
    done,
    changes: buildReason !== undefined,
    value: stored ? project(stored) : undefined,
    result: () => result!,
  };
}
