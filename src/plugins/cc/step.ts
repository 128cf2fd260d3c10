import path from 'node:path';
import {
  planTarget,
  recordCompiles,
  type TargetBuildResult,
  type TargetPlan,
} from '../../compile/index.js';
import { KilnError } from '../../errors.js';
import { emptyLinkInfo, type LinkInfo } from '../../manifest/schema.js';
import { type Dependency, type RecordingStep, workNode } from '../../runner/graph.js';
import type { BuildContext, BuildNode } from '../../runner/types.js';
import { isApple, isUniversal, universalParts } from '../../target/triple.js';
import { pathExists } from '../../util/fs.js';
import { joinPath } from '../../util/paths.js';
import { lipoNode } from '../lipo-node.js';
import type { CcStepData } from './step-data.js';

export type { CcStepData } from './step-data.js';
export { isCcStepData } from './step-data.js';

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
 * The library as build-graph nodes: per target, one compile node (its stale units) and the
 * archive or link after it (and after the libraries it links); a lipo merge for a universal
 * target; then a node recording the results (inputs, compile_commands.json, artifacts).
 * `deps` are the `link` entries as planned in this build.
 */
export async function planCcStep(
  ctx: BuildContext,
  step: string,
  data: CcStepData,
  deps: readonly Dependency<LinkInfo | undefined>[],
): Promise<RecordingStep<CcLibrary>> {
  const root = ctx.packageRoot;
  const kind = data.kind;
  const linkAfter = deps.flatMap((d) => (d.done ? [d.done] : []));
  const stepDir = joinPath(ctx.outDir, 'cc', data.name);
  const base = {
    name: data.name,
    kind,
    sources: data.sources,
    perFile: new Map(data.perFile),
    settings: { ...data.settings, profile: ctx.profile },
    link: deps.map((d) => d.value).filter((i): i is LinkInfo => i !== undefined),
    linkChanges: deps.some((d) => d.changes),
    ldFlags: data.ldFlags,
  } as const;
  const universal = isUniversal(ctx.target);
  if (universal && kind === 'objects') {
    throw new KilnError(
      'TARGET_UNSUPPORTED',
      `cc(options).kind: "objects" cannot be built for ${ctx.target.triple}`,
      {
        hint: 'Build a static or shared library for a universal target; its parts are merged with lipo.',
      },
    );
  }
  // A universal target: each arch in its own directory with its own state, then one lipo merge.
  const parts = universal ? universalParts(ctx.target) : [ctx.target];
  const nodes: BuildNode[] = [];
  const ends: BuildNode[] = [];
  const plans: TargetPlan[] = [];
  for (const part of parts) {
    const dir = universal ? joinPath(stepDir, part.triple) : stepDir;
    const plan = await planTarget(ctx, part, { ...base, dir });
    plans.push(plan);
    const compile = workNode(step, 'compile', dir, plan.compile, []);
    nodes.push(compile);
    if (plan.artifact) {
      const kindOf = kind === 'static' ? 'archive' : 'link';
      nodes.push(workNode(step, kindOf, dir, plan.artifact, [compile, ...linkAfter]));
    }
    ends.push(nodes[nodes.length - 1]!);
  }
  const results = plans.map((p) => p.result);
  let artifact = results[0]!.artifact;
  let changes = results.some((r) =>
    kind === 'objects' ? r.compiled.length > 0 : r.artifactChanged,
  );
  if (universal) {
    const merged = joinPath(stepDir, path.basename(artifact!));
    artifact = merged;
    if (changes || !pathExists(merged)) {
      changes = true;
      const lipo = lipoNode(
        ctx,
        step,
        results.map((r) => r.artifact!),
        merged,
        ends.splice(0),
      );
      nodes.push(lipo);
      ends.push(lipo);
    }
  }

  // What dependents link is complete here; recording it (below) waits for the steps before.
  const ready =
    ends.length === 1
      ? ends[0]!
      : workNode(step, 'finish', `${stepDir} parts`, { count: 0, run: async () => {} }, ends);
  if (ready !== ends[0]) nodes.push(ready);
  const main = results[0]!;
  const library = toLibrary(ctx, data.name, kind, artifact, main, data.wholeArchive);
  const done = workNode(
    step,
    'finish',
    stepDir,
    {
      count: 0,
      run: async () => {
        await recordCompiles(ctx, root, data.compileCommands, results);
        if (artifact) {
          ctx.addArtifact({
            kind:
              kind === 'shared'
                ? 'shared-lib'
                : kind === 'executable'
                  ? 'executable'
                  : 'static-lib',
            path: artifact,
            step,
          });
        } else {
          for (const o of main.objects) ctx.addArtifact({ kind: 'object', path: o, step });
        }
        ctx.emitLink(library);
      },
    },
    [ready],
  );
  nodes.push(done);
  return {
    nodes,
    done,
    ready,
    changes,
    value: library,
    result: () => library,
    unitInputs: () => results.flatMap((r) => [...r.inputs]),
  };
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
