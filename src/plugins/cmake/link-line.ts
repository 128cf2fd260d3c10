import path from 'node:path';
import type { LinkLib } from '../../manifest/schema.js';
import { isInside } from '../../util/fs.js';
import { splitWords } from '../../util/quote.js';
import type { CommandFragment } from './file-api.js';

/** One item of a consumer's link line, as CMake reported it. */
export type LinkItem =
  | { type: 'target'; name: string }
  | { type: 'lib'; lib: LinkLib }
  | { type: 'flag'; flag: string };

export interface ParsedLinkLine {
  items: LinkItem[];
  searchPaths: { kind: 'native' | 'framework'; path: string }[];
  rpaths: string[];
}

/**
 * Turns `link.commandFragments` into items. Fragments are in the generator's shell quoting and one
 * fragment may hold several arguments (`-O3 -DNDEBUG` was observed), so each is split first.
 * Build-tree files of the project's own libraries (`libkit_core.so.1.2.0`, relative to the build
 * dir) become target references; the build-tree rpath CMake adds for them is dropped (installed
 * files get their own rpath from the install dir).
 */
export function parseLinkFragments(
  fragments: readonly CommandFragment[],
  options: { buildDir: string; targetOf: (file: string) => string | undefined },
): ParsedLinkLine {
  const out: ParsedLinkLine = { items: [], searchPaths: [], rpaths: [] };
  for (const frag of fragments) {
    const words = splitWords(frag.fragment);
    if (frag.role === 'libraryPath') {
      for (const w of words) out.searchPaths.push({ kind: 'native', path: w.replace(/^-L/, '') });
      continue;
    }
    if (frag.role === 'frameworkPath') {
      for (const w of words)
        out.searchPaths.push({ kind: 'framework', path: w.replace(/^-F/, '') });
      continue;
    }
    if (frag.role !== 'libraries') continue;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const rpath = /^-Wl,-rpath,(.*)$/.exec(w);
      if (rpath) {
        for (const dir of rpath[1]!.split(':')) {
          if (dir && !isInside(path.resolve(options.buildDir, dir), options.buildDir))
            out.rpaths.push(dir);
        }
        continue;
      }
      if (w === '-framework' && i + 1 < words.length) {
        out.items.push({ type: 'lib', lib: { name: words[++i]!, kind: 'framework' } });
        continue;
      }
      if (w.startsWith('-l') && w.length > 2) {
        out.items.push({ type: 'lib', lib: { name: w.slice(2), kind: 'dylib' } });
        continue;
      }
      if (w.startsWith('-')) {
        out.items.push({ type: 'flag', flag: w });
        continue;
      }
      const abs = path.resolve(options.buildDir, w);
      const target = options.targetOf(abs);
      if (target) {
        out.items.push({ type: 'target', name: target });
        continue;
      }
      const lib = libFromFile(abs);
      out.items.push(lib ? { type: 'lib', lib } : { type: 'flag', flag: abs });
    }
  }
  return out;
}

/** `/x/libz.a` → static `z`; `/x/libz.so.1.3` or `.dylib`/`.tbd` → dylib `z`; `Foo.framework/Foo` → framework. */
export function libFromFile(file: string): LinkLib | undefined {
  const base = path.basename(file);
  const fw = /([^/]+)\.framework\/[^/]+$/.exec(file);
  if (fw) return { name: fw[1]!, kind: 'framework' };
  const stat = /^(?:lib)?(.+)\.(a|lib)$/.exec(base);
  if (stat) return { name: stat[1]!, kind: 'static', path: file };
  const dyn = /^(?:lib)?(.+?)(?:\.so(?:\.\d+)*|(?:\.\d+)*\.dylib|\.tbd)$/.exec(base);
  if (dyn) return { name: dyn[1]!, kind: 'dylib', path: file };
  return undefined;
}

/**
 * Merges link lines into one order: every line's order is kept (an item before the items after
 * it), ties keep first appearance. A cycle (static libs CMake repeats, `a b a b`) falls back to
 * keeping each item's last occurrence, which still satisfies a single-pass linker.
 */
export function mergeOrder<T>(lines: readonly (readonly T[])[], key: (t: T) => string): T[] {
  const byKey = new Map<string, T>();
  const firstSeen: string[] = [];
  const after = new Map<string, Set<string>>();
  const indegree = new Map<string, number>();
  for (const line of lines) {
    const keys = dedupeLast(line.map(key));
    for (const item of line) {
      const k = key(item);
      if (!byKey.has(k)) {
        byKey.set(k, item);
        firstSeen.push(k);
        indegree.set(k, 0);
        after.set(k, new Set());
      }
    }
    for (let i = 0; i + 1 < keys.length; i++) {
      const a = keys[i]!;
      const b = keys[i + 1]!;
      if (a !== b && !after.get(a)!.has(b)) {
        after.get(a)!.add(b);
        indegree.set(b, indegree.get(b)! + 1);
      }
    }
  }
  const order: string[] = [];
  const ready = firstSeen.filter((k) => indegree.get(k) === 0);
  while (ready.length > 0) {
    ready.sort((x, y) => firstSeen.indexOf(x) - firstSeen.indexOf(y));
    const k = ready.shift()!;
    order.push(k);
    for (const next of after.get(k)!) {
      indegree.set(next, indegree.get(next)! - 1);
      if (indegree.get(next) === 0) ready.push(next);
    }
  }
  if (order.length < firstSeen.length) {
    return dedupeLast(lines.flatMap((l) => l.map(key))).map((k) => byKey.get(k)!);
  }
  return order.map((k) => byKey.get(k)!);
}

function dedupeLast(keys: readonly string[]): string[] {
  const last = new Map<string, number>();
  for (const [i, k] of keys.entries()) last.set(k, i);
  return keys.filter((k, i) => last.get(k) === i);
}
