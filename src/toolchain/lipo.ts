import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../errors.js';
import type { BuildContext } from '../runner/types.js';
import { machoArchs } from '../target/binary.js';
import { appleArchName, isApple, universalParts } from '../target/triple.js';
import { findExecutable } from './which.js';

export interface LipoMergeOptions {
  /**
   * Apple arch names the merged file must contain. Default: the arches of `ctx.target`
   * (`x86_64` and `arm64` for `universal-apple-darwin`).
   */
  expect?: readonly string[];
}

/**
 * Merges thin Mach-O files (objects, static archives, dylibs, executables, `.node` addons) into one
 * fat file with `lipo -create`, then verifies it before it becomes visible:
 *
 * 1. every input is read as Mach-O (a wrong file fails here, naming it);
 * 2. the merge goes to a temporary sibling of `output`;
 * 3. the result's arches are read from its fat header (`machoArchs`) and cross-checked with
 *    `lipo -info`; every expected arch must be present in both;
 * 4. only then is the temporary file renamed over `output` (atomic on one filesystem).
 *
 * The tool is `LIPO` (tracked env), else `lipo` (Xcode), else `llvm-lipo` or a versioned
 * `llvm-lipo-<N>` (Debian/Ubuntu install only the versioned name).
 *
 * @throws TARGET_UNSUPPORTED when an expected arch is missing or an input is not Mach-O;
 *   TOOL_NOT_FOUND when no lipo exists; EXEC_FAILED when lipo itself fails.
 */
export async function lipoMerge(
  ctx: BuildContext,
  inputs: string[],
  output: string,
  options: LipoMergeOptions = {},
): Promise<void> {
  const expected = [...(options.expect ?? expectedArchs(ctx))];
  const found: string[] = [];
  for (const input of inputs) {
    const archs = await machoArchs(input);
    if (archs.length === 0) {
      throw new KilnError('TARGET_UNSUPPORTED', `${input} holds no Mach-O code to merge`, {
        hint: 'It is an archive without Mach-O members; build it for an Apple target (clang --target=...-apple-macos).',
      });
    }
    const dup = archs.find((a) => found.includes(a));
    if (dup) {
      throw new KilnError(
        'TARGET_UNSUPPORTED',
        `${input}: ${dup} is already in another input of ${output}`,
        {
          hint: 'Pass each arch once: one thin file per arch (lipo refuses duplicates).',
          details: `Inputs: ${inputs.join(', ')}`,
        },
      );
    }
    found.push(...archs);
  }
  const missing = expected.filter((a) => !found.includes(a));
  if (missing.length > 0) {
    throw missingArchs(output, found, expected, missing, inputs);
  }

  const lipo = findLipo(ctx);
  await mkdir(path.dirname(output), { recursive: true });
  const tmp = path.join(
    path.dirname(output),
    `.${path.basename(output)}.lipo-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    // jobs: 0 because callers often hold pool slots already; a merge is brief.
    await ctx.exec(lipo, ['-create', ...inputs, '-output', tmp], { directives: false, jobs: 0 });
    if (!(await stat(tmp).catch(() => undefined))?.isFile()) {
      throw new KilnError('EXEC_FAILED', `${lipo} exited 0 but wrote no ${tmp}`, {
        hint: 'Check the lipo in use (set LIPO to another one); the previous output is unchanged.',
      });
    }
    const merged = await machoArchs(tmp);
    const info = await ctx.exec(lipo, ['-info', tmp], { directives: false, jobs: 0 });
    const listed = parseLipoInfo(info.stdout);
    const absent = expected.filter((a) => !merged.includes(a) || !listed.includes(a));
    if (absent.length > 0) {
      throw missingArchs(
        output,
        merged,
        expected,
        absent,
        inputs,
        `${lipo} -info: ${info.stdout.trim()}`,
      );
    }
    await rename(tmp, output);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The Apple arches a target's binaries must hold: both for universal, else its own. */
export function expectedArchs(ctx: Pick<BuildContext, 'target'>): string[] {
  if (!isApple(ctx.target)) {
    throw new KilnError(
      'TARGET_UNSUPPORTED',
      `lipo merges Apple binaries, but the target is ${ctx.target.triple}`,
      {
        hint: 'Use lipoMerge only for *-apple-darwin targets (universal-apple-darwin for fat binaries).',
      },
    );
  }
  return universalParts(ctx.target).map(appleArchName);
}

/** Arch names from `lipo -info`: "Architectures in the fat file: f are: x86_64 arm64" or "Non-fat file: f is architecture: arm64". */
export function parseLipoInfo(stdout: string): string[] {
  const line = stdout.trim().split('\n').pop() ?? '';
  const m = /(?:are|architecture):\s*(.*)$/.exec(line);
  return m ? m[1]!.trim().split(/\s+/).filter(Boolean) : [];
}

/** Finds lipo: `LIPO`, `lipo`, `llvm-lipo`, then the newest `llvm-lipo-<N>` on PATH. */
export function findLipo(ctx: Pick<BuildContext, 'getEnv' | 'packageRoot'>): string {
  const fromEnv = ctx.getEnv('LIPO')?.trim();
  if (fromEnv) {
    const found = findExecutable(fromEnv, ctx.packageRoot);
    if (found) return found;
    throw notFound(`LIPO=${fromEnv} is not an executable`, [fromEnv]);
  }
  const tried = ['lipo', 'llvm-lipo'];
  for (const name of tried) {
    const found = findExecutable(name, ctx.packageRoot);
    if (found) return found;
  }
  const versioned = newestVersioned('llvm-lipo');
  if (versioned) return versioned;
  throw notFound('lipo not found on PATH', [...tried, 'llvm-lipo-<N>']);
}

/** The newest `<base>-<N>` on PATH (Debian installs LLVM tools only under versioned names). */
export function newestVersioned(base: string): string | undefined {
  let best: { version: number; file: string } | undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = new RegExp(`^${base}-(\\d+)$`).exec(name);
      if (!m) continue;
      const file = findExecutable(path.join(dir, name), dir);
      if (file && (!best || Number(m[1]) > best.version)) best = { version: Number(m[1]), file };
    }
  }
  return best?.file;
}

function notFound(message: string, tried: string[]): KilnError {
  return new KilnError('TOOL_NOT_FOUND', `${message} (needed to merge a universal binary)`, {
    details: `Looked for: ${tried.join(', ')}`,
    hint: 'Install the Xcode command line tools (xcode-select --install) on macOS, or LLVM elsewhere (apt install llvm / brew install llvm), or set LIPO to a lipo or llvm-lipo binary.',
  });
}

function missingArchs(
  output: string,
  found: string[],
  expected: string[],
  missing: string[],
  inputs: string[],
  details?: string,
): KilnError {
  return new KilnError(
    'TARGET_UNSUPPORTED',
    `${output}: merged file would lack ${missing.join(', ')} (found ${found.join(', ') || 'none'}, expected ${expected.join(', ')})`,
    {
      hint: `Build every part (${expected.join(', ')}) and pass all of them; inputs were: ${inputs.join(', ')}.`,
      details,
    },
  );
}
