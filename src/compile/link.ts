import { mkdirSync, renameSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isKilnError, KilnError } from '../errors.js';
import { linkArgs } from '../manifest/link-args.js';
import type { LinkInfo } from '../manifest/schema.js';
import type { BuildContext } from '../runner/types.js';
import { tempPath } from '../state/index.js';
import { isApple, type Triple } from '../target/triple.js';
import { stem } from '../toolchain/discover.js';
import { msvcArchiveArgs, msvcLinkArgs, windowsQuote } from '../toolchain/msvc/flags.js';
import { missingSdkLibrary, sdkHint } from '../toolchain/msvc/sdk.js';
import { shellJoin, shellQuote } from '../toolchain/shellwords.js';
import type { Toolchain } from '../toolchain/types.js';
import { removeFile } from '../util/fs.js';
import { relativeInside } from '../util/paths.js';

/** Longer MSVC link command lines go through a response file (Windows allows 32767 characters). */
const WINDOWS_COMMAND_LINE = 30_000;

/** Above this many characters of object paths the archiver gets a response file (`@file`). */
const RESPONSE_FILE_THRESHOLD = 32_000;

export interface ArchiveCommand {
  program: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * `ar rcsD`: replace/create, write the symbol index (so no ranlib step), and `D` for a
 * deterministic archive (zero timestamps, uids, modes), so identical objects give an identical
 * library. Apple's cctools `ar` has no `D`; it honours `ZERO_AR_DATE=1` instead.
 */
export function archiveCommand(
  tc: Toolchain,
  output: string,
  objects: readonly string[],
): ArchiveCommand {
  if (isLibStyle(tc.ar.path)) {
    return {
      program: tc.ar.program,
      args: [...tc.ar.args, ...msvcArchiveArgs(tc.target, output, objects)],
      env: tc.ar.env ?? {},
    };
  }
  const appleAr = isApple(tc.host ?? tc.target) && stem(tc.ar.path) === 'ar';
  return {
    program: tc.ar.program,
    args: [...tc.ar.args, appleAr ? 'rcs' : 'rcsD', output, ...objects],
    env: appleAr ? { ZERO_AR_DATE: '1' } : {},
  };
}

/**
 * Creates the archive under a temporary name and renames it into place (atomic replace). The
 * archive is always created fresh: `r` into an existing archive would replace a member by its
 * base name, and `a/util.c.o` and `b/util.c.o` share one; into a new one both are appended.
 */
export async function writeArchive(
  ctx: BuildContext,
  tc: Toolchain,
  output: string,
  allObjects: readonly string[],
): Promise<void> {
  const tmp = tempPath(output);
  mkdirSync(path.dirname(output), { recursive: true });
  // lib.exe and llvm-lib name each member by the path given: paths relative to the root (where
  // the archiver runs) keep the checkout's location out of the library.
  const libStyle = isLibStyle(tc.ar.path);
  const objects = libStyle
    ? allObjects.map((o) => relativeInside(ctx.packageRoot, o) || o)
    : allObjects;
  let cmd = archiveCommand(tc, tmp, objects);
  const rsp = `${tmp}.rsp`;
  const withRsp = objects.reduce((n, o) => n + o.length + 1, 0) > RESPONSE_FILE_THRESHOLD;
  if (withRsp) {
    // GNU and LLVM ar read `@file` with shell-like quoting, lib.exe with Windows command-line
    // quoting; keeps long builds under ARG_MAX (and Windows' 32k command line).
    const quote = libStyle ? windowsQuote : shellQuote;
    await writeFile(rsp, objects.map(quote).join('\n'));
    cmd = { ...cmd, args: [...cmd.args.slice(0, cmd.args.length - objects.length), `@${rsp}`] };
  }
  const result = await ctx.exec(cmd.program, cmd.args, {
    cwd: ctx.packageRoot,
    jobs: 1,
    directives: false,
    allowFailure: true,
    env: cmd.env,
  });
  if (withRsp) removeFile(rsp);
  if (result.exitCode !== 0) {
    removeFile(tmp);
    throw new KilnError('LINK_FAILED', `archiving ${path.basename(output)} failed`, {
      details: `${result.stderr}${result.stdout}`.trim(),
      command: shellJoin([cmd.program, ...cmd.args]),
      hint: 'Check that AR names a working archiver for the target; the previous library is unchanged.',
    });
  }
  renameSync(tmp, output);
}

export interface SharedLinkInput {
  toolchain: Toolchain;
  name: string;
  output: string;
  objects: readonly string[];
  cxx: boolean;
  link: readonly LinkInfo[];
  ldFlags: readonly string[];
  /** A program instead of a shared library. */
  executable?: boolean | undefined;
  /** The profile has debug info: MSVC links write a `.pdb` (`/DEBUG`). */
  debug?: boolean | undefined;
  /** Where the link runs: paths inside it are given relative (MSVC links). */
  root?: string | undefined;
}

/** The linker driver argv for a shared library or program (without the program). */
export function sharedLinkArgs(
  input: SharedLinkInput,
  tmpOutput: string,
): { program: string; args: string[]; env?: Record<string, string> | undefined } {
  const tc = input.toolchain;
  if (tc.target.env === 'msvc' && tc.linker) return msvcLinkCommand(input, tmpOutput);
  const tool = input.cxx ? tc.cxx : tc.cc;
  const t = tc.target;
  const file = path.basename(input.output);
  const args: string[] = [
    ...(tool.compilerArgs ?? tool.args),
    ...(input.cxx ? (tc.cxxTargetFlags ?? tc.targetFlags) : tc.targetFlags),
  ];
  if (input.executable) {
    // A program: no soname or import library.
  } else if (isApple(t)) {
    // @rpath lets the consumer decide where the library lives (its rpath), like Cargo dylibs.
    args.push('-dynamiclib', '-install_name', `@rpath/${file}`);
  } else if (t.os === 'windows') {
    args.push(
      '-shared',
      `-Wl,--out-implib,${path.join(path.dirname(input.output), `lib${input.name}.dll.a`)}`,
    );
  } else {
    args.push('-shared', `-Wl,-soname,${file}`);
  }
  args.push('-o', tmpOutput, ...input.objects);
  for (const info of input.link) args.push(...linkInfoArgs(info, isApple(t)));
  args.push(...input.ldFlags, ...tc.ldflags);
  // The link itself does not go through a compiler cache (ccache cannot cache links).
  return { program: tool.path, args };
}

/**
 * link.exe / lld-link for an MSVC target (see `msvcLinkArgs`). The import library and the pdb
 * of a DLL are named after the final file, not the temporary one the link writes.
 */
export function msvcLinkCommand(
  input: SharedLinkInput,
  tmpOutput: string,
): { program: string; args: string[]; env?: Record<string, string> | undefined } {
  const tc = input.toolchain;
  const linker = tc.linker!;
  const dir = path.dirname(input.output);
  const base = path.basename(input.output).replace(/\.(dll|exe)$/i, '');
  const rel = (file: string) =>
    input.root === undefined ? file : relativeInside(input.root, file) || file;
  const args = msvcLinkArgs({
    target: tc.target,
    kind: input.executable ? 'executable' : 'shared',
    output: rel(tmpOutput),
    importLibrary: input.executable ? undefined : rel(path.join(dir, `${base}.lib`)),
    pdb: rel(path.join(dir, `${base}.pdb`)),
    debug: input.debug ?? false,
    objects: input.objects.map(rel),
    searchPaths: input.link.flatMap((i) =>
      i.searchPaths.filter((sp) => sp.kind !== 'framework').map((sp) => rel(sp.path)),
    ),
    libs: input.link.flatMap((i) =>
      i.libs.map((lib) => ({ ...lib, ...(lib.path ? { path: rel(lib.path) } : {}) })),
    ),
    flags: [...input.link.flatMap((i) => i.ldflags), ...input.ldFlags, ...tc.ldflags],
    // link.exe has no /winsysroot; its LIB comes from the environment.
    winsysroot: /^lld-link/i.test(stem(linker.path)) ? tc.sysroot : undefined,
  });
  return { program: linker.program, args: [...linker.args, ...args], env: linker.env };
}

/** `lib.exe` or `llvm-lib` (which take `/OUT:`), as opposed to an `ar`. */
export function isLibStyle(archiver: string): boolean {
  return /^(lib|llvm-lib(-\d+)?)$/i.test(stem(archiver));
}

/** Linker arguments for one library result (the shared rendering, see linkArgs). */
export function linkInfoArgs(info: LinkInfo, apple: boolean): string[] {
  return linkArgs(info, apple);
}

/**
 * The temporary output of a link. A Windows DLL records its own file name (in its export table
 * and its import library), which is the name programs linking it load: for Windows targets (MSVC
 * and MinGW) the link writes the real name inside a temporary folder, renamed out of it on success.
 */
export function linkTempPath(output: string, target: Triple): { tmp: string; tmpDir?: string } {
  if (target.os !== 'windows') return { tmp: tempPath(output) };
  const tmpDir = `${tempPath(output)}.d`;
  return { tmp: path.join(tmpDir, path.basename(output)), tmpDir };
}

/** Links a shared library or program through a temporary name, renamed into place on success. */
export async function linkShared(ctx: BuildContext, input: SharedLinkInput): Promise<void> {
  const msvc = input.toolchain.target.env === 'msvc' && input.toolchain.linker !== undefined;
  const { tmp, tmpDir } = linkTempPath(input.output, input.toolchain.target);
  const { program, env, ...cmd } = sharedLinkArgs(input, tmp);
  let args = cmd.args;
  try {
    const lead = input.toolchain.linker?.args.length ?? 0;
    if (msvc && tmpDir && args.reduce((n, a) => n + a.length + 3, 0) > WINDOWS_COMMAND_LINE) {
      // Windows limits a command line to 32767 characters; link.exe and lld-link read the rest
      // of theirs from a response file (Windows quoting), kept in the temporary folder.
      const rsp = path.join(tmpDir, 'link.rsp');
      await mkdir(tmpDir, { recursive: true });
      await writeFile(rsp, args.slice(lead).map(windowsQuote).join('\n'));
      args = [...args.slice(0, lead), `@${rsp}`];
    }
    await linkThroughTemp(
      ctx,
      { program, args, tmp, output: input.output, ...(env ? { env } : {}) },
      {
        what: path.basename(input.output),
        hint: 'Check the libraries given in `link` and LDFLAGS; the previous library is unchanged.',
      },
    );
  } catch (err) {
    const lib = msvc && isKilnError(err) ? missingSdkLibrary(err.details ?? '') : undefined;
    if (!lib || !isKilnError(err)) throw err;
    throw new KilnError(
      'LINK_FAILED',
      `linking ${path.basename(input.output)} failed — the Windows SDK libraries are missing ('${lib}' not found)`,
      {
        details: err.details,
        command: err.command,
        hint: sdkHint(input.toolchain.target, ctx.host, 'libraries'),
      },
    );
  } finally {
    if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
  }
}

/**
 * Runs a link command that writes `tmp`, then renames it over `output`. On failure `tmp` is
 * removed and `output` is left as it was, so a broken link never replaces a good library.
 */
export async function linkThroughTemp(
  ctx: BuildContext,
  cmd: {
    program: string;
    args: string[];
    tmp: string;
    output: string;
    env?: Record<string, string> | undefined;
  },
  failure: { what: string; hint: string; verify?: (tmp: string) => Promise<void> },
): Promise<void> {
  mkdirSync(path.dirname(cmd.tmp), { recursive: true });
  removeFile(cmd.tmp);
  const result = await ctx.exec(cmd.program, cmd.args, {
    cwd: ctx.packageRoot,
    jobs: 1,
    directives: false,
    allowFailure: true,
    env: { ...cmd.env, LC_ALL: 'C' },
  });
  if (result.exitCode !== 0) {
    removeFile(cmd.tmp);
    throw new KilnError('LINK_FAILED', `linking ${failure.what} failed`, {
      details: `${result.stderr}${result.stdout}`.trim(),
      command: shellJoin([cmd.program, ...cmd.args]),
      hint: failure.hint,
    });
  }
  // A check of the fresh output (the addon's undefined symbols) keeps the previous one on failure.
  await failure.verify?.(cmd.tmp).catch((e: unknown) => {
    removeFile(cmd.tmp);
    throw e;
  });
  renameSync(cmd.tmp, cmd.output);
}
