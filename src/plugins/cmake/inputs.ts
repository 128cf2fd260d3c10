import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import type { LinkInfo } from '../../manifest/schema.js';
import { resolveLinkable } from '../../runner/linkable.js';
import type { BuildContext } from '../../runner/types.js';
import { configureInputs, type Reply } from './file-api.js';
import type { ResolvedOptions } from './options.js';
import { PROBE_PREFIX } from './probe.js';
import { type CmakeState, firstChanged } from './state.js';

/** The project folder, checked before cmake runs so the error names the path Kiln looked at. */
export function checkSource(ctx: Pick<BuildContext, 'packageRoot'>, source: string): string {
  const dir = path.resolve(ctx.packageRoot, source);
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) {
    throw new KilnError(
      'CONFIG_INVALID',
      `cmake(options).source: ${st ? 'not a directory' : 'no such directory'}: ${dir}`,
      {
        hint: `"${source}" is resolved against the package root ${ctx.packageRoot}; point source at the folder that holds the project's top-level CMakeLists.txt.`,
      },
    );
  }
  if (!existsSync(path.join(dir, 'CMakeLists.txt'))) {
    throw new KilnError('CONFIG_INVALID', `cmake(options).source: ${dir} has no CMakeLists.txt`, {
      hint: "Point source at the folder that holds the project's top-level CMakeLists.txt.",
    });
  }
  return dir;
}

/**
 * `deps` values may be link info, manifests or plugins (run once per build through ctx.use); an
 * optional plugin that found nothing hands the project nothing for its prefix.
 */
export async function resolveDeps(
  ctx: BuildContext,
  opts: ResolvedOptions,
): Promise<Record<string, LinkInfo>> {
  const out: Record<string, LinkInfo> = {};
  for (const [prefix, dep] of Object.entries(opts.deps ?? {})) {
    const info = await resolveLinkable(ctx, dep);
    if (info) out[prefix] = info;
  }
  return out;
}

export function configureFilesOf(reply: Reply, stepDir: string): string[] {
  return reply.cmakeFiles ? configureInputs(reply.cmakeFiles, stepDir) : [];
}

/** Every source the project's own targets name (the codemodel lists them; generated ones follow from configure). */
export function sourcesOf(reply: Reply): string[] {
  const root = reply.codemodel.paths.source;
  const out = new Set<string>();
  for (const t of reply.targets) {
    if (t.name.startsWith(PROBE_PREFIX)) continue;
    for (const s of t.sources) if (!s.isGenerated) out.add(path.resolve(root, s.path));
  }
  return [...out];
}

/** The compilers' implicit include dirs (toolchains v1), whose headers Kiln does not track. */
export function systemIncludeDirs(reply: Reply): string[] {
  return (reply.toolchains?.toolchains ?? []).flatMap(
    (t) => t.compiler.implicit?.includeDirectories ?? [],
  );
}

/**
 * Why `cmake --build` must run, or undefined when the last build's inputs (sources and the headers
 * from its depfiles) are unchanged and its outputs (installed files, build-tree libraries) exist.
 */
export async function buildNeeded(state: CmakeState, force: boolean): Promise<string | undefined> {
  if (force) return 'forced';
  if (!state.built) return 'not built yet';
  const changed = await firstChanged(state.built.inputs);
  if (changed) return `${changed} changed`;
  const output = await firstChanged(state.built.outputs);
  if (output) return `${output} was modified or removed`;
  return undefined;
}
