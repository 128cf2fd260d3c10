import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  buildForTarget,
  linkTempPath,
  linkThroughTemp,
  relPath,
  type TargetBuildInput,
  type TargetBuildResult,
} from '../../compile/index.js';
import type { LinkInfo } from '../../manifest/schema.js';
import type { BuildContext } from '../../runner/types.js';
import {
  ChangeOracle,
  type FileStamp,
  hashBytes,
  isRecord,
  isStamp,
  readState,
  type StateKind,
  stampWritten,
  writeState,
} from '../../state/index.js';
import type { Triple } from '../../target/triple.js';
import { resolveToolchain } from '../../toolchain/index.js';
import { addonLinkCommand } from './link-rules.js';
import { checkUndefinedSymbols } from './undefined-symbols.js';
import { gnuToolPrefix, nodeImportLibrary } from './windows.js';

export interface PartInput {
  name: string;
  /** What the cc machinery compiles (kind `objects`; the addon links them itself). */
  compile: Omit<TargetBuildInput, 'kind' | 'link' | 'ldFlags' | 'name' | 'dir'>;
  /**
   * What the link needs, resolved while the sources compile: libraries built by other steps are
   * awaited only here, so the addon's objects compile alongside them.
   */
  linking: Promise<{ link: readonly LinkInfo[]; rpaths: readonly string[]; cxxDeps: boolean }>;
  ldFlags: readonly string[];
  dir: string;
}

export interface PartResult {
  /** The linked `.node` for this (thin) target. */
  output: string;
  relinked: boolean;
  compiled: TargetBuildResult;
}

/** The addon's last link: the hash of its command and inputs, and the `.node` as written. */
interface LinkState {
  key: string;
  output: FileStamp;
}

const LINK_STATE: StateKind<LinkState> = {
  kind: 'kiln-addon-link',
  version: 2,
  valid: (d): d is LinkState => isRecord(d) && typeof d.key === 'string' && isStamp(d.output),
};

/**
 * Compiles the addon's sources with the compile engine (parallel, incremental through
 * depfiles and command hashes) and links them as a loadable module. The link reruns when its
 * command, an object, or a library linked in changed (size and mtime of each), or when the
 * output is missing, like cc's own shared-library link.
 */
export async function buildPart(
  ctx: BuildContext,
  target: Triple,
  input: PartInput,
): Promise<PartResult> {
  const compiled = await buildForTarget(ctx, target, {
    ...input.compile,
    name: input.name,
    kind: 'objects',
    link: [],
    ldFlags: [],
    dir: input.dir,
    step: `addon:${input.name}`,
  });
  const toolchain = await resolveToolchain(ctx, { target });
  const { link, rpaths, cxxDeps } = await input.linking;
  const output = path.join(input.dir, `${input.name}.node`);
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
      cxx: compiled.cxx || cxxDeps,
      output: out,
      objects: compiled.objects,
      link,
      rpaths,
      ldFlags: input.ldFlags,
      nodeLib,
    });
  const cmd = commandFor(tmp);
  const linkedFiles = [
    ...link.flatMap((l) => l.libs.map((lib) => lib.path).filter((p): p is string => !!p)),
    ...(nodeLib ? [nodeLib.path] : []),
  ];
  const stamps = await Promise.all(
    [...compiled.objects, ...linkedFiles].map(async (f) => [f, (await stampWritten(f)).hash]),
  );
  // The temporary output name is unique per run: the key is taken over the final name.
  const key = hashBytes(JSON.stringify([cmd.program, commandFor(output).args, stamps]));
  const statePath = path.join(input.dir, 'link.json');
  const previous = await readState(statePath, LINK_STATE);
  if (
    !ctx.force &&
    previous?.key === key &&
    (await new ChangeOracle().change(output, previous.output)) === undefined
  ) {
    return { output, relinked: false, compiled };
  }

  ctx.progress.plan(1);
  ctx.progress.step('LINK', relPath(ctx.packageRoot, output));
  await linkThroughTemp(
    ctx,
    { program: cmd.program, args: cmd.args, tmp, output, env: cmd.env },
    {
      what: `the addon ${input.name}.node`,
      hint: 'Check the libraries given in `link` (an undefined symbol names the missing one) and LDFLAGS; the previous addon is unchanged.',
      verify: (file) =>
        checkUndefinedSymbols(ctx, {
          file,
          name: `${input.name}.node`,
          target,
          toolchain,
          link,
        }),
    },
  ).finally(() => (tmpDir ? rm(tmpDir, { recursive: true, force: true }) : undefined));
  await writeState(statePath, LINK_STATE, { key, output: await stampWritten(output) });
  return { output, relinked: true, compiled };
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
