import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../../runner/types.js';
import { isInside } from '../../util/fs.js';

/**
 * Headers the last build's objects depend on, from the compiler's depfiles, so a touched header
 * makes the build dirty (the codemodel lists only the sources a target names). Ninja folds depfiles
 * into `.ninja_deps` and deletes them (`deps = gcc`), so ask `ninja -t deps`; the Makefile
 * generator (CMake >= 3.20 with gcc/clang) keeps `<object>.d` files beside the objects.
 */
export async function headerDeps(
  ctx: BuildContext,
  options: { buildDir: string; generator: string; makeProgram: string | undefined },
): Promise<string[]> {
  if (options.generator.startsWith('Ninja') && options.makeProgram) {
    const res = await ctx.exec(options.makeProgram, ['-C', options.buildDir, '-t', 'deps'], {
      jobs: 0,
      directives: false,
      allowFailure: true,
    });
    if (res.exitCode !== 0) return [];
    return parseNinjaDeps(res.stdout, options.buildDir);
  }
  const files = await findDepfiles(path.join(options.buildDir, 'CMakeFiles'));
  const deps: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    deps.push(...parseDepfile(text).map((d) => path.resolve(options.buildDir, d)));
  }
  return [...new Set(deps)];
}

/** `ninja -t deps`: `<output>: #deps N, ...` then one indented dependency per line. */
export function parseNinjaDeps(text: string, buildDir: string): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    if (/^\s+\S/.test(line)) out.add(path.resolve(buildDir, line.trim()));
  }
  return [...out];
}

/** Make-syntax depfile (`obj.o: a.c b.h \` lines; `\ ` is an escaped space). Returns the prerequisites. */
export function parseDepfile(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const out: string[] = [];
  for (const rule of joined.split('\n')) {
    const colon = findRuleColon(rule);
    if (colon < 0) continue;
    out.push(...splitDepWords(rule.slice(colon + 1)));
  }
  return out;
}

/** The `:` ending the target list; `C:\` drive letters (a colon followed by a backslash) are not it. */
function findRuleColon(rule: string): number {
  for (let i = 0; i < rule.length; i++) {
    if (rule[i] === '\\') {
      i++;
      continue;
    }
    if (rule[i] === ':' && rule[i + 1] !== '\\' && rule[i + 1] !== '/') return i;
  }
  return -1;
}

function splitDepWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && (text[i + 1] === ' ' || text[i + 1] === '#')) {
      cur += text[++i];
    } else if (c === '$' && text[i + 1] === '$') {
      cur += '$';
      i++;
    } else if (/\s/.test(c)) {
      if (cur) words.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur) words.push(cur);
  return words;
}

async function findDepfiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.o.d'))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Leaves out files in the build tree (generated, they follow from configure inputs) and files in
 * the compiler's implicit include dirs (toolchains v1): system headers change only with the
 * compiler or the OS, and hashing hundreds of them would slow every no-change run.
 */
export function filterDeps(
  deps: readonly string[],
  buildDir: string,
  systemDirs: readonly string[],
): string[] {
  return deps.filter((d) => !isInside(d, buildDir) && !systemDirs.some((s) => isInside(d, s)));
}
