import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LinkInfo } from '../../manifest/schema.js';
import type { BuildContext } from '../../runner/types.js';
import type { Triple } from '../../target/triple.js';
import { resolveToolchain } from '../../toolchain/index.js';
import { buildForTarget, type TargetBuildInput, type TargetBuildResult } from '../cc/build.js';
import { hashText, stampOf, writeFileAtomic } from '../cc/fsutil.js';
import { linkThroughTemp } from '../cc/link.js';
import { relPath } from '../cc/sources.js';
import { addonLinkCommand } from './link-rules.js';

export interface PartInput {
  name: string;
  /** What the cc machinery compiles (kind `objects`; the addon links them itself). */
  compile: Omit<TargetBuildInput, 'kind' | 'link' | 'ldFlags' | 'name' | 'dir'>;
  link: readonly LinkInfo[];
  rpaths: readonly string[];
  ldFlags: readonly string[];
  /** A linked library is C++ (needs the C++ driver and runtime). */
  cxxDeps: boolean;
  dir: string;
}

export interface PartResult {
  /** The linked `.node` for this (thin) target. */
  output: string;
  relinked: boolean;
  compiled: TargetBuildResult;
}

interface LinkState {
  version: 1;
  key: string;
}

/**
 * Compiles the addon's sources with the cc plugin's machinery (parallel, incremental through
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
  const output = path.join(input.dir, `${input.name}.node`);
  const tmp = path.join(input.dir, `.kiln-tmp-${input.name}.node`);
  const cmd = addonLinkCommand({
    toolchain,
    cxx: compiled.cxx || input.cxxDeps,
    output: tmp,
    objects: compiled.objects,
    link: input.link,
    rpaths: input.rpaths,
    ldFlags: input.ldFlags,
  });
  const linkedFiles = input.link.flatMap((l) =>
    l.libs.map((lib) => lib.path).filter((p): p is string => !!p),
  );
  const stamps = await Promise.all(
    [...compiled.objects, ...linkedFiles].map(async (f) => [f, await stampOf(f)]),
  );
  const key = hashText(JSON.stringify([cmd.program, cmd.args, stamps]));
  const statePath = path.join(input.dir, 'link.json');
  const previous = await readLinkState(statePath);
  if (previous?.key === key && (await stampOf(output))) {
    return { output, relinked: false, compiled };
  }

  ctx.progress.plan(1);
  ctx.progress.step('LINK', relPath(ctx.packageRoot, output));
  await linkThroughTemp(
    ctx,
    { program: cmd.program, args: cmd.args, tmp, output },
    {
      what: `the addon ${input.name}.node`,
      hint: 'Check the libraries given in `link` (an undefined symbol names the missing one) and LDFLAGS; the previous addon is unchanged.',
    },
  );
  await writeFileAtomic(statePath, JSON.stringify({ version: 1, key } satisfies LinkState));
  return { output, relinked: true, compiled };
}

async function readLinkState(file: string): Promise<LinkState | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<LinkState>;
    return value.version === 1 && typeof value.key === 'string' ? (value as LinkState) : undefined;
  } catch (error) {
    // A missing or torn state file only means "link again".
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError)
      return undefined;
    throw error;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
