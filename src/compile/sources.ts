import { statSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';
import { hashBytes } from '../state/index.js';
import { globDirectories } from '../util/glob-dirs.js';
import { joinPath, relativeInside, relativePath, resolvePath } from '../util/paths.js';

export type Language = 'c' | 'c++' | 'asm' | 'asm-cpp';

export interface Source {
  /** Absolute path. */
  file: string;
  /** Path relative to the package root, `/`-separated (what progress and errors show). */
  rel: string;
  language: Language;
}

const LANGUAGE_BY_EXT: Record<string, Language> = {
  '.c': 'c',
  '.cc': 'c++',
  '.cpp': 'c++',
  '.cxx': 'c++',
  '.c++': 'c++',
  '.C': 'c++',
  '.s': 'asm',
  '.S': 'asm-cpp',
  '.sx': 'asm-cpp',
};

/**
 * Expands the source globs, in the order given, each file once. A pattern naming an existing file
 * is taken literally, so names with glob characters (`[`, `(`, `$()`) need no escaping.
 * A glob that matches nothing is an error naming it: a typo must not silently build an empty library.
 */
export async function expandSources(
  patterns: readonly string[],
  root: string,
  trackDirs?: (dirs: string[]) => void,
): Promise<Source[]> {
  const seen = new Set<string>();
  const out: Source[] = [];
  for (const pattern of patterns) {
    trackDirs?.(globDirectories(pattern, root));
    const literal = path.resolve(root, pattern);
    let files: string[];
    if (isFile(literal)) {
      files = [literal];
    } else {
      // Synchronous: a crawl through the thread pool takes a round trip per directory.
      const { globSync } = await import('tinyglobby');
      files = globSync(pattern, {
        cwd: root,
        absolute: true,
        onlyFiles: true,
        expandDirectories: false,
      })
        .map((f) => resolvePath(f))
        .sort();
    }
    if (files.length === 0) {
      throw new KilnError(
        'GLOB_EMPTY',
        `cc(options).sources: "${pattern}" matches no file under ${root}`,
        {
          hint: 'Check the pattern (it is relative to the package root and uses / as separator), or remove it.',
        },
      );
    }
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      out.push({ file, rel: relPath(root, file), language: languageOf(file) });
    }
  }
  return out;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function languageOf(file: string): Language {
  const ext = path.extname(file);
  const lang = LANGUAGE_BY_EXT[ext] ?? LANGUAGE_BY_EXT[ext.toLowerCase()];
  if (!lang) {
    const what =
      ext.toLowerCase() === '.asm'
        ? 'is MASM/NASM assembly (.asm), which the cc plugin does not support'
        : `has an extension ("${ext}") the cc plugin does not compile`;
    throw new KilnError('CONFIG_INVALID', `cc(options).sources: ${file} ${what}`, {
      hint: 'Sources: .c (C), .cc .cpp .cxx .C (C++), .s .S (GNU assembly). Narrow the glob to those files.',
    });
  }
  return lang;
}

/** `/`-separated path relative to the root (for display, globs and compile_commands). */
export function relPath(root: string, file: string): string {
  return relativePath(root, file).split(path.sep).join('/');
}

/**
 * Where a source's object goes, relative to the step directory. Sources inside the package
 * mirror their path (`pkg/csrc/a/util.c.o`), so `a/util.c` and `b/util.c` never collide and
 * `x.c` / `x.cpp` neither. Sources outside the package (`../shared/x.c`, absolute paths) go under
 * `ext/<hash of their directory>/`, so nothing escapes the output directory.
 */
export function objectRelPath(root: string, file: string, ext = '.o'): string {
  const rel = relativeInside(root, file);
  if (rel === undefined) {
    const digest = hashBytes(path.dirname(file)).slice(0, 12);
    return joinPath('ext', digest, `${path.basename(file)}${ext}`);
  }
  return joinPath('pkg', `${rel}${ext}`);
}

/**
 * Per-file extra flags: the `perFile` globs are expanded with the same glob engine as `sources`
 * (so both agree on what a pattern means), then each source gets the flags of every pattern that
 * matched it, in the order the patterns are written.
 */
export async function perFileFlagMap(
  perFile: Record<string, string[]> | undefined,
  root: string,
): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (!perFile) return map;
  const { globSync } = await import('tinyglobby');
  for (const [pattern, flags] of Object.entries(perFile)) {
    const literal = path.resolve(root, pattern);
    const files = isFile(literal)
      ? [literal]
      : globSync(pattern, {
          cwd: root,
          absolute: true,
          onlyFiles: true,
          expandDirectories: false,
        });
    for (const f of files) {
      const key = path.resolve(f);
      map.set(key, [...(map.get(key) ?? []), ...flags]);
    }
  }
  return map;
}
