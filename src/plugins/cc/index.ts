import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  buildForTarget,
  compileCommandsFile,
  defineFlags,
  expandSources,
  mergeCompileCommands,
  perFileFlagMap,
  resolveIncludes,
  type TargetBuildResult,
} from '../../compile/index.js';
import { KilnError } from '../../errors.js';
import { emptyLinkInfo, type LinkInfo, type Manifest } from '../../manifest/schema.js';
import type { BuildContext, Plugin } from '../../runner/types.js';
import { lipoMerge } from '../../target/lipo.js';
import { isApple, isUniversal, universalParts } from '../../target/triple.js';
import { type CcOptions, parseCcOptions } from './options.js';

export type { CcOptions } from './options.js';

/** What `cc()` returns: the link info of what it built, plus the files themselves. */
export interface CcLibrary extends LinkInfo {
  name: string;
  kind: 'static' | 'shared' | 'objects' | 'executable';
  /** The library file (`lib<name>.a`, `lib<name>.so`, ...); undefined for `kind: 'objects'`. */
  artifact: string | undefined;
  /** Every object file, in source order. */
  objects: string[];
  /** Sources compiled by this run (relative to the package root); empty when all were fresh. */
  compiled: string[];
}

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
  return {
    name: `cc:${opts.name}`,
    // Its include dirs stay private: the result is libraries and search paths only.
    linkOnly: true,
    run: (ctx) => runCc(ctx, opts),
  };
}

async function runCc(
  ctx: BuildContext,
  opts: ReturnType<typeof parseCcOptions>,
): Promise<CcLibrary> {
  const root = ctx.packageRoot;
  const kind = opts.kind ?? 'static';
  const sources = await expandSources(
    typeof opts.sources === 'string' ? [opts.sources] : opts.sources,
    root,
    (dirs) => ctx.trackFiles(dirs),
  );
  const perFile = await perFileFlagMap(opts.perFile, root);
  const link = await resolveLinks(ctx, opts.link ?? []);
  const stepDir = path.join(ctx.outDir, 'cc', opts.name);
  const base = {
    name: opts.name,
    kind,
    sources,
    perFile,
    settings: {
      profile: ctx.profile,
      pic: opts.pic,
      includes: resolveIncludes(root, opts.includes),
      defines: defineFlags(opts.defines),
      std: opts.std,
      warnings: opts.warnings ?? 'on',
      flags: opts.flags ?? [],
      cxxFlags: opts.cxxFlags ?? [],
    },
    link,
    ldFlags: opts.ldFlags ?? [],
  } as const;

  let results: TargetBuildResult[];
  let artifact: string | undefined;
  if (isUniversal(ctx.target)) {
    if (kind === 'objects') {
      throw new KilnError(
        'TARGET_UNSUPPORTED',
        `cc(options).kind: "objects" cannot be built for ${ctx.target.triple}`,
        {
          hint: 'Build a static or shared library for a universal target; its parts are merged with lipo.',
        },
      );
    }
    // Each arch in its own directory with its own state, then one lipo merge (verified).
    results = [];
    for (const part of universalParts(ctx.target)) {
      results.push(
        await buildForTarget(ctx, part, { ...base, dir: path.join(stepDir, part.triple) }),
      );
    }
    const first = results[0]!;
    artifact = path.join(stepDir, path.basename(first.artifact!));
    if (results.some((r) => r.artifactChanged) || !(await fileExists(artifact))) {
      ctx.progress.plan(1);
      ctx.progress.step('LIPO', path.relative(root, artifact));
      await lipoMerge(
        ctx,
        results.map((r) => r.artifact!),
        artifact,
      );
    }
  } else {
    const result = await buildForTarget(ctx, ctx.target, { ...base, dir: stepDir });
    results = [result];
    artifact = result.artifact;
  }

  const main = results[0]!;
  ctx.trackFiles(results.flatMap((r) => [...r.inputs]));
  if (opts.compileCommands !== false) {
    const file = compileCommandsFile(root, opts.compileCommands);
    await mergeCompileCommands(ctx, file, main.entries);
  }
  const library = toLibrary(ctx, opts.name, kind, artifact, main, opts.wholeArchive ?? false);
  if (artifact) {
    ctx.addArtifact({
      kind: kind === 'shared' ? 'shared-lib' : kind === 'executable' ? 'executable' : 'static-lib',
      path: artifact,
      step: `cc:${opts.name}`,
    });
  } else {
    for (const o of main.objects)
      ctx.addArtifact({ kind: 'object', path: o, step: `cc:${opts.name}` });
  }
  ctx.emitLink(library);
  return library;
}

/**
 * The link directives for what was built. A static C++ library also needs the C++ runtime at
 * the final link, as cc-rs prints it: `c++` on Apple, `stdc++` elsewhere. Objects are handed on
 * as linker arguments (there is no library to name).
 */
function toLibrary(
  ctx: BuildContext,
  name: string,
  kind: CcLibrary['kind'],
  artifact: string | undefined,
  result: TargetBuildResult,
  wholeArchive: boolean,
): CcLibrary {
  const lib: CcLibrary = {
    name,
    kind,
    artifact,
    objects: result.objects,
    compiled: result.compiled,
    ...emptyLinkInfo(),
  };
  const runtime =
    result.cxx && ctx.target.env !== 'msvc' ? (isApple(ctx.target) ? 'c++' : 'stdc++') : undefined;
  if (kind === 'executable') {
    // A program is an output, not something to link against.
    return lib;
  }
  if (kind === 'objects') {
    lib.ldflags.push(...result.objects);
  } else if (kind === 'static') {
    lib.libs.push({
      name,
      kind: 'static',
      path: artifact!,
      ...(wholeArchive ? { wholeArchive: true } : {}),
    });
    lib.searchPaths.push({ kind: 'native', path: path.dirname(artifact!) });
  } else {
    lib.libs.push({ name, kind: 'dylib', path: artifact! });
    lib.searchPaths.push({ kind: 'native', path: path.dirname(artifact!) });
    // Windows has no rpath: a DLL is found next to the program (or on PATH).
    if (ctx.target.os !== 'windows') lib.rpaths.push(path.dirname(artifact!));
  }
  if (runtime && kind !== 'shared') lib.libs.push({ name: runtime, kind: 'dylib' });
  return lib;
}

/** `link` entries: library results and manifests as they are, plugins run through the context. */
async function resolveLinks(
  ctx: BuildContext,
  items: readonly (LinkInfo | Plugin<LinkInfo> | Manifest)[],
): Promise<LinkInfo[]> {
  return Promise.all(
    items.map((item) =>
      'run' in item && typeof item.run === 'function'
        ? ctx.use(item as Plugin<LinkInfo>)
        : (item as LinkInfo),
    ),
  );
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
