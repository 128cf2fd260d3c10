import { stat } from 'node:fs/promises';
import path from 'node:path';
import { expandSources, recordCompiles, relPath, resolveIncludes } from '../../compile/index.js';
import { isKilnError, KilnError } from '../../errors.js';
import type { LinkInfo } from '../../manifest/schema.js';
import {
  buildGraph,
  type Dependency,
  plannedPlugin,
  type RecordingStep,
  workNode,
} from '../../runner/graph.js';
import { isLinkablePlugin } from '../../runner/linkable.js';
import type { BuildContext, BuildNode, PlannedStep, Plugin } from '../../runner/types.js';
import { isApple, isUniversal, universalParts } from '../../target/triple.js';
import { requireAppleSdk } from '../../toolchain/apple-sdk.js';
import { lipoNode } from '../lipo-node.js';
import { exists as fileExists, type PartPlan, planPart } from './build.js';
import { addonDefines } from './defines.js';
import {
  findNodeAddonApi,
  findNodeApiHeaders,
  missingNodeOnlyHeader,
  type NodeApiHeaders,
} from './headers.js';
import { addonDestinations, bundleSharedLibrary, configurationDir, installFile } from './layout.js';
import { originToken, planLinks } from './link-rules.js';
import { type AddonOptions, parseAddonOptions } from './options.js';
import type { AddonStepData } from './step-data.js';
import { writeDelayLoadHook } from './windows.js';

export type { HeadersMode, NodeApiHeaders } from './headers.js';
export type { AddonOptions } from './options.js';

/** What `addon()` returns: where the addon was written and what it was built against. */
export interface AddonResult {
  name: string;
  /** The addon where `bindings` / `node-gyp-build` / `loadAddon` look: `build/Release/<name>.node` (or `build/Debug`). */
  path: string;
  /** Every copy written: the build folder, and the prebuild when `prebuild: true`. */
  outputs: string[];
  /** Shared libraries of earlier steps copied next to each output (found through `$ORIGIN` / `@loader_path`). */
  bundled: string[];
  headers: NodeApiHeaders;
  napiVersion: number;
  /** Whether the addon was linked again in this run. */
  relinked: boolean;
  /** Sources compiled in this run (relative to the package root). */
  compiled: string[];
}

/**
 * Builds a Node-API addon (`<name>.node`) from C/C++ sources, offline, against the libraries of
 * earlier steps, and writes it where Node's loaders look.
 *
 * ```ts
 * const core = cc({ name: 'core', sources: ['csrc/core/*.c'] });
 * export default defineConfig({
 *   plugins: [addon({ name: 'binding', sources: ['csrc/binding.c'], link: [core, pkgConfig('zlib')] })],
 * });
 * ```
 */
export function addon(options: AddonOptions): Plugin<AddonResult> {
  const opts = parseAddonOptions(options);
  return plannedPlugin(`addon:${opts.name}`, (ctx, step) => planAddon(ctx, opts, step));
}

/** Reads the options, finds the headers and sources and plans the steps linked; then the nodes. */
async function planAddon(
  ctx: BuildContext,
  opts: AddonOptions,
  step: string,
): Promise<PlannedStep<AddonResult>> {
  const root = ctx.packageRoot;
  const graph = await buildGraph(ctx);
  const headersMode = opts.headers ?? 'auto';
  // `auto` is decided by the dependencies package.json declares: declaring one changes the headers.
  if (headersMode === 'auto') ctx.trackFiles(['package.json']);
  const headers = findNodeApiHeaders(root, headersMode);
  ctx.log.debug(
    `addon ${opts.name}: Node-API headers from ${headers.includeDir} (${headers.reason})`,
  );
  const sources = await expandSources(
    typeof opts.sources === 'string' ? [opts.sources] : opts.sources,
    root,
    (dirs) => ctx.trackFiles(dirs),
  );
  const cxx = sources.some((s) => s.language === 'c++');
  const addonApi = cxx ? findNodeAddonApi(root) : undefined;
  // Every `link` entry is planned (a planned step) or resolved (a lookup such as pkgConfig) now.
  const items = opts.link ?? [];
  const deps = await Promise.all(items.map((item) => graph.link(item)));
  const { napiVersion, cxxExceptions: exceptions, own, user } = addonDefines(opts);
  const data: AddonStepData = {
    name: opts.name,
    compileCommands: opts.compileCommands,
    prebuild: !!opts.prebuild,
    ldFlags: opts.ldFlags ?? [],
    sources,
    headers,
    napiVersion,
    compile: {
      includes: [
        headers.includeDir,
        ...(addonApi ? [addonApi] : []),
        ...resolveIncludes(root, opts.includes),
      ],
      ownDefines: own,
      userDefines: user,
      // Node's own common.gypi (what node-gyp compiles with) says gnu++17, and node-addon-api 8
      // needs C++17: clang before 16 defaults to C++14.
      std: opts.std ?? 'gnu++17',
      warnings: opts.warnings ?? 'on',
      flags: opts.flags ?? [],
      cxxFlags: [exceptions ? '-fexceptions' : '-fno-exceptions', ...(opts.cxxFlags ?? [])],
    },
    link: deps.map((d, i) => ({
      value: d.value,
      step: d.done?.step,
      linkOnly: isLinkablePlugin(items[i]) && items[i].linkOnly === true,
    })),
  };
  const planned = await planAddonStep(ctx, step, data, deps);
  graph.record({ plugin: 'addon', step, data, unitInputs: planned.unitInputs });
  return planned;
}

/**
 * The addon as build-graph nodes: per target, one compile node (its stale units) and the link
 * after it and after the libraries of other steps it links (a cc library compiles alongside its
 * units); a lipo merge for a universal target; then the node that installs the `.node` where
 * Node's loaders look and records the results. `deps` are the `link` entries as planned in this
 * build; compile flags come only from the ones that can carry them (not `linkOnly`): the
 * compiles wait for those, the link for all of them, so the addon's own sources compile while a
 * cc library builds.
 */
export async function planAddonStep(
  ctx: BuildContext,
  step: string,
  data: AddonStepData,
  deps: readonly Dependency<LinkInfo | undefined>[],
): Promise<RecordingStep<AddonResult>> {
  const root = ctx.packageRoot;
  const headers = data.headers;
  const parts = isUniversal(ctx.target) ? universalParts(ctx.target) : [ctx.target];
  const stepDir = path.join(ctx.outDir, 'addon', data.name);
  const sources = [...data.sources];
  if (ctx.target.os === 'windows') {
    // node-gyp's delay-load hook, compiled with the addon's own sources (see windows.ts).
    const hook = await writeDelayLoadHook(path.join(stepDir, 'win'));
    sources.push({ file: hook, rel: relPath(root, hook), language: 'c' });
  }
  const linkOnly = data.link.map((l) => l.linkOnly);
  const all = deps.map((d) => d.value).filter((i): i is LinkInfo => i !== undefined);
  const infos = deps
    .filter((_d, i) => !linkOnly[i])
    .map((d) => d.value)
    .filter((i): i is LinkInfo => i !== undefined);
  const compileAfter = deps.flatMap((d, i) => (d.done && !linkOnly[i] ? [d.done] : []));
  const linkAfter = deps.flatMap((d) => (d.done ? [d.done] : []));
  const plan = planLinks(all, root);
  if (isApple(ctx.target)) await requireAppleSdk(ctx, `the addon ${data.name}.node`);

  const c = data.compile;
  const settings = {
    profile: ctx.profile,
    pic: undefined,
    includes: [...c.includes, ...infos.flatMap((i) => i.includes)],
    defines: [
      ...c.ownDefines,
      ...infos.flatMap((i) =>
        i.defines.map((d) => (d.value === undefined ? `-D${d.name}` : `-D${d.name}=${d.value}`)),
      ),
      ...c.userDefines,
    ],
    std: c.std,
    warnings: c.warnings,
    flags: [...infos.flatMap((i) => i.cflags), ...c.flags],
    cxxFlags: c.cxxFlags,
  };

  const nodes: BuildNode[] = [];
  const ends: BuildNode[] = [];
  const planned: PartPlan[] = [];
  for (const part of parts) {
    const dir = parts.length > 1 ? path.join(stepDir, part.triple) : stepDir;
    const p = await planPart(ctx, part, {
      name: data.name,
      compile: { sources, perFile: new Map(), settings },
      link: plan.link,
      linkChanges: deps.some((d) => d.changes),
      // Every output folder gets its own copy of the bundled libraries, so one rpath serves all.
      // Windows has no rpath: the loader looks next to the addon, where the DLLs are copied.
      rpaths:
        plan.bundled.length > 0 && ctx.target.os !== 'windows' ? [originToken(ctx.target)] : [],
      cxxDeps: all.some((i) => i.libs.some((l) => l.name === 'stdc++' || l.name === 'c++')),
      ldFlags: data.ldFlags,
      dir,
    });
    planned.push(p);
    const compile = workNode(
      step,
      'compile',
      dir,
      {
        ...p.compile,
        run: () => p.compile.run().catch((err: unknown) => explainMissing(err, headers)),
      },
      compileAfter,
    );
    nodes.push(compile);
    if (p.link) nodes.push(workNode(step, 'link', dir, p.link, [compile, ...linkAfter]));
    ends.push(nodes[nodes.length - 1]!);
  }
  let built = planned[0]!.output;
  let relinked = planned.some((p) => p.link !== undefined);
  if (parts.length > 1) {
    const merged = path.join(stepDir, `${data.name}.node`);
    built = merged;
    if (relinked || !(await fileExists(merged))) {
      relinked = true;
      const lipo = lipoNode(
        ctx,
        step,
        planned.map((p) => p.output),
        merged,
        ends.splice(0),
      );
      nodes.push(lipo);
      ends.push(lipo);
    }
  }

  let result: AddonResult | undefined;
  const done = workNode(
    step,
    'finish',
    stepDir,
    {
      count: 0,
      run: async () => {
        await recordCompiles(
          ctx,
          root,
          data.compileCommands,
          planned.map((p) => p.compiled),
        );
        const outputs: string[] = [];
        const bundled: string[] = [];
        const destinations = addonDestinations(
          root,
          data.name,
          ctx.target,
          ctx.profile,
          data.prebuild,
        );
        for (const dest of destinations) {
          const file = path.join(dest.dir, dest.file);
          if (await installFile(built, file)) ctx.log.debug(`addon ${data.name}: wrote ${file}`);
          outputs.push(file);
          ctx.addArtifact({ kind: 'addon', path: file, step });
          for (const lib of plan.bundled) {
            for (const copy of await bundleSharedLibrary(lib, dest.dir)) {
              bundled.push(copy);
              ctx.addArtifact({ kind: 'shared-lib', path: copy, step });
            }
          }
        }
        if (configurationDir(ctx.profile) === 'Debug') {
          await warnIfShadowed(ctx, data.name, outputs[0]!);
        }
        result = {
          name: data.name,
          path: outputs[0]!,
          outputs,
          bundled,
          headers,
          napiVersion: data.napiVersion,
          relinked,
          compiled: planned.flatMap((p) => p.compiled.compiled),
        };
      },
    },
    ends,
  );
  nodes.push(done);
  return {
    nodes,
    done,
    changes: relinked,
    result: () => result!,
    unitInputs: () => planned.flatMap((p) => [...p.compiled.inputs]),
  };
}

/**
 * `bindings`, `node-gyp-build` and `loadAddon` try `build/Release` before `build/Debug`: an older
 * Release addon left from an earlier build is what they would load, not the Debug one just built.
 */
async function warnIfShadowed(ctx: BuildContext, name: string, debugFile: string): Promise<void> {
  const release = path.join(ctx.packageRoot, 'build', 'Release', `${name}.node`);
  const [shadow, built] = await Promise.all([stampTime(release), stampTime(debugFile)]);
  if (shadow === undefined || built === undefined || shadow >= built) return;
  ctx.log.warn(
    `build/Release/${name}.node, from an earlier release build, shadows the debug addon just built: bindings, node-gyp-build and loadAddon load build/Release first. Delete it, or build without --debug.`,
  );
}

async function stampTime(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * A compile that failed on one of Node's own headers (node.h, uv.h, v8.h) while compiling against
 * node-api-headers, which ships only the Node-API ones: the hint says which setting has them.
 */
function explainMissing(err: unknown, headers: NodeApiHeaders): never {
  const missing =
    isKilnError(err) && err.code === 'COMPILE_FAILED' && headers.source === 'node-api-headers'
      ? missingNodeOnlyHeader(`${err.message}\n${err.details ?? ''}`)
      : undefined;
  if (!missing || !isKilnError(err)) throw err;
  throw new KilnError('COMPILE_FAILED', err.message, {
    details: err.details,
    command: err.command,
    hint: `${missing} is one of Node's own headers, which node-api-headers (${headers.reason}) does not ship: set headers: 'node' in addon(options) to compile against the running Node's include/node.`,
    cause: err,
  });
}
