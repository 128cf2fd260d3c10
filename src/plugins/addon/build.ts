import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  linkedFiles,
  linkTempPath,
  type PlannedWork,
  planModuleLink,
  planTarget,
  type TargetBuildInput,
  type TargetBuildResult,
} from '../../compile/index.js';
import type { LinkInfo } from '../../manifest/schema.js';
import type { BuildContext } from '../../runner/types.js';
import { gnuToolPrefix } from '../../target/cross.js';
import type { Triple } from '../../target/triple.js';
import { resolveToolchain } from '../../toolchain/index.js';
import { addonLinkCommand } from './link-rules.js';
import { checkUndefinedSymbols } from './undefined-symbols.js';
import { nodeImportLibrary } from './windows.js';

export interface PartInput {
  name: string;
  /** What the compile engine compiles (kind `objects`; the addon links them itself). */
  compile: Omit<TargetBuildInput, 'kind' | 'link' | 'ldFlags' | 'name' | 'dir'>;
  /** What the link reads: libraries of other steps, known (not yet built) at plan time. */
  link: readonly LinkInfo[];
  /** Whether this build rewrites one of those libraries (then the addon relinks). */
  linkChanges: boolean;
  rpaths: readonly string[];
  cxxDeps: boolean;
  ldFlags: readonly string[];
  dir: string;
}

export interface PartPlan {
  /** The linked `.node` for this (thin) target. */
  output: string;
  compile: PlannedWork;
  /** The link; undefined when the `.node` is up to date. */
  link: PlannedWork | undefined;
  compiled: TargetBuildResult;
}

/**
 * Plans the addon's objects with the compile engine (parallel, incremental through depfiles and
 * command hashes) and their link as a loadable module. The link reruns when its command, an
 * object, or a library linked in changed (or is rebuilt by this build), or when the output is
 * missing, like cc's own shared-library link.
 */
export async function planPart(
  ctx: BuildContext,
  target: Triple,
  input: PartInput,
): Promise<PartPlan> {
  const plan = await planTarget(ctx, target, {
    ...input.compile,
    name: input.name,
    kind: 'objects',
    link: [],
    ldFlags: [],
    dir: input.dir,
    step: `addon:${input.name}`,
  });
  const compiled = plan.result;
  const toolchain = await resolveToolchain(ctx, { target });
  const output = path.join(input.dir, `${input.name}.node`);
  // Windows: node.lib (made once, kept in the step folder) and the link through a folder.
  const nodeLib =
    target.os === 'windows'
      ? await nodeImportLibrary(
          ctx,
          target,
          path.join(input.dir, 'win'),
          gnuToolPrefix(toolchain.ar.path),
        )
      : undefined;
  const { tmp, tmpDir } = linkTempPath(output, target);
  const commandFor = (out: string) =>
    addonLinkCommand({
      debug: ctx.profile.debugInfo,
      root: ctx.packageRoot,
      toolchain,
      cxx: compiled.cxx || input.cxxDeps,
      output: out,
      objects: compiled.objects,
      link: input.link,
      rpaths: input.rpaths,
      ldFlags: input.ldFlags,
      nodeLib,
    });
  const cmd = commandFor(tmp);
  const link = await planModuleLink(ctx, {
    program: cmd.program,
    args: cmd.args,
    keyArgs: commandFor(output).args,
    env: cmd.env,
    tmp,
    tmpDir,
    output,
    reads: [...compiled.objects, ...linkedFiles(input.link), ...(nodeLib ? [nodeLib.path] : [])],
    stale: compiled.compiled.length > 0 || input.linkChanges,
    stateFile: path.join(input.dir, 'link.json'),
    failure: {
      what: `the addon ${input.name}.node`,
      hint: 'Check the libraries given in `link` (an undefined symbol names the missing one) and LDFLAGS; the previous addon is unchanged.',
      verify: (file) =>
        checkUndefinedSymbols(ctx, {
          file,
          name: `${input.name}.node`,
          target,
          toolchain,
          link: input.link,
        }),
    },
  });
  return { output, compile: plan.compile, link, compiled };
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
