/**
 * What recipes know about a library's source folder: that it is the right library, which files
 * it has, the version its headers declare, and the headers a release leaves for its own build
 * system to generate.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../errors.js';
import { compareVersions } from '../pkgconf/version.js';
import type { BuildContext } from '../runner/types.js';
import { writeFileAtomic } from '../state/index.js';

/** A bundled source folder that passed the recipe's identity check. */
export interface SourceDir {
  /** Absolute path. */
  abs: string;
  /** As the user wrote it (for messages). */
  given: string;
}

/**
 * Resolves `bundled` and checks it holds `marker` (the file that makes it that library). The
 * error names the folder, the file and what to do, since "wrong folder" is the usual mistake
 * (a `deps/` parent, or a git submodule that was never checked out).
 */
export function openSourceDir(
  ctx: BuildContext,
  recipe: string,
  given: string,
  marker: string,
  fetchHint: string,
): SourceDir {
  const abs = path.resolve(ctx.packageRoot, given);
  if (!isDir(abs)) {
    throw new KilnError(
      'RECIPE_SOURCE_INVALID',
      `${recipe}({ bundled: '${given}' }): the folder ${abs} does not exist`,
      { hint: `Put the ${recipe} sources there (${fetchHint}), or fix the path.` },
    );
  }
  if (!existsSync(path.join(abs, marker))) {
    throw new KilnError(
      'RECIPE_SOURCE_INVALID',
      `${recipe}({ bundled: '${given}' }): ${abs} is not a ${recipe} source folder (no ${marker})`,
      {
        hint: `Point bundled at the folder that holds ${marker} (${fetchHint}); an empty folder is often a git submodule that was not checked out.`,
      },
    );
  }
  return { abs, given };
}

/** Fails naming every expected file the folder lacks. */
export function requireFiles(recipe: string, dir: SourceDir, files: readonly string[]): void {
  const missing = files.filter((f) => !existsSync(path.join(dir.abs, f)));
  if (missing.length === 0) return;
  throw new KilnError(
    'RECIPE_SOURCE_INVALID',
    `${recipe}({ bundled: '${dir.given}' }): ${dir.abs} lacks ${missing.join(', ')}`,
    {
      hint: `Use an unmodified ${recipe} release in that folder; the recipe compiles exactly its file list.`,
    },
  );
}

/**
 * Reads `#define NAME value` from a header: the string literal's content, or the bare token.
 * Returns undefined when the header does not define it.
 */
export function readDefine(file: string, name: string): string | undefined {
  const text = readFileSync(file, 'utf8');
  const m = new RegExp(`^[ \\t]*#[ \\t]*define[ \\t]+${name}[ \\t]+("([^"]*)"|(\\S+))`, 'm').exec(
    text,
  );
  if (!m) return undefined;
  return m[2] ?? m[3];
}

/** `readDefine`, failing with a message that names the header and the macro. */
export function requireDefine(
  recipe: string,
  dir: SourceDir,
  header: string,
  name: string,
): string {
  const value = readDefine(path.join(dir.abs, header), name);
  if (value === undefined) {
    throw new KilnError(
      'RECIPE_SOURCE_INVALID',
      `${recipe}({ bundled: '${dir.given}' }): cannot read the version: ${path.join(dir.abs, header)} does not define ${name}`,
      { hint: `Use an unmodified ${recipe} release; its ${header} declares ${name}.` },
    );
  }
  return value;
}

/** Refuses a bundled folder older than the recipe's minimum, as the system probe would. */
export function checkBundledVersion(
  recipe: string,
  dir: SourceDir,
  version: string,
  minVersion: string,
  where: string,
): void {
  if (compareVersions(version, minVersion) >= 0) return;
  throw new KilnError(
    'RECIPE_SOURCE_INVALID',
    `${recipe}({ bundled: '${dir.given}' }): ${dir.abs} holds ${recipe} ${version} (from ${where}), older than the ${minVersion} required`,
    {
      hint: `Update the sources in ${dir.given} to ${recipe} ${minVersion} or newer, or lower the requirement with ${recipe}({ minVersion: '${version}' }) if you know it works.`,
    },
  );
}

/**
 * Copies `from` (inside the source folder) to `<generatedDir>/<name>` when the folder has no
 * `name` of its own, rewriting only on change so dependents' objects stay fresh. The user's
 * source tree is never written to. Returns whether a copy is in use.
 */
export async function provideHeader(
  ctx: BuildContext,
  recipe: string,
  dir: SourceDir,
  options: { name: string; from: string; generatedDir: string; why: string },
): Promise<boolean> {
  if (existsSync(path.join(dir.abs, options.name))) return false;
  const from = path.join(dir.abs, options.from);
  if (!existsSync(from)) {
    throw new KilnError(
      'RECIPE_SOURCE_INVALID',
      `${recipe}({ bundled: '${dir.given}' }): ${dir.abs} has neither ${options.name} nor ${options.from} to make it from`,
      { hint: `Use an unmodified ${recipe} release (${options.why}).` },
    );
  }
  ctx.trackFiles([from]);
  await writeIfChanged(path.join(options.generatedDir, options.name), await readFile(from, 'utf8'));
  return true;
}

/** The `.c` files directly in a folder, sorted (a release's file set, not a glob the user wrote). */
export function cFilesIn(dir: string, ext = '.c'): string[] {
  if (!isDir(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext) && statSync(path.join(dir, f)).isFile())
    .sort();
}

/** `/`-separated path of a file in the source folder, relative to the package root (for cc's `sources`). */
export function sourcePath(ctx: BuildContext, dir: SourceDir, rel: string): string {
  return path.relative(ctx.packageRoot, path.join(dir.abs, rel)).split(path.sep).join('/');
}

async function writeIfChanged(file: string, text: string): Promise<void> {
  try {
    if ((await readFile(file, 'utf8')) === text) return;
  } catch {
    // Not there yet: written below.
  }
  await writeFileAtomic(file, text);
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
