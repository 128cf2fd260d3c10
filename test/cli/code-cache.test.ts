import { linkSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireWithCodeCache } from '../../src/cli/code-cache.js';

const temp = (name: string) => mkdtempSync(path.join(os.tmpdir(), `kiln-code-cache-${name}-`));

describe("Kiln's own bundles through V8's code cache", () => {
  const saved = process.env.KILN_CACHE_DIR;
  let cache: string;
  beforeEach(() => {
    cache = temp('dir');
    process.env.KILN_CACHE_DIR = cache;
  });
  afterEach(() => {
    process.env.KILN_CACHE_DIR = saved;
  });
  const entries = () => readdirSync(path.join(cache, 'code'));

  /**
   * A bundle with enough code for V8 to cache, answering `answer`. Each load in these tests is
   * of a file at a path of its own: V8 keeps what one process compiled by source and path, and
   * would answer a second load of the same path from memory, never reading the cache.
   */
  function bundle(dir: string, answer: number): string {
    const file = path.join(dir, 'bundle.cjs');
    const filler = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x * ${i}; }`);
    writeFileSync(
      file,
      `${filler.join('\n')}\nexports.answer = () => ${answer};\nexports.dirname = __dirname;\nexports.url = require('node:url').pathToFileURL(__filename).href;\n`,
    );
    return file;
  }

  /**
   * A hard link of `file` at a path of its own: the same file, as a package store shares it.
   * Made before the file is first loaded: a new link moves the file's ctime.
   */
  function link(file: string): string {
    const linked = path.join(temp('linked'), path.basename(file));
    linkSync(file, linked);
    return linked;
  }

  it('compiles from source once, then runs from the cache with the same exports', () => {
    const dir = temp('bundle');
    const file = bundle(dir, 7);
    const linked = link(file);
    const first = requireWithCodeCache<{ answer(): number; dirname: string }>(file);
    expect(first.fromCache).toBe(false);
    expect(first.exports.answer()).toBe(7);
    expect(first.exports.dirname).toBe(dir);
    first.save();
    expect(entries()).toHaveLength(1);
    // A hard link of the same file (a package store links one copy into every project).
    const second = requireWithCodeCache<{ answer(): number }>(linked);
    expect(second.fromCache).toBe(true);
    expect(second.exports.answer()).toBe(7);
  });

  it('compiles a rewritten file afresh, even with its old size and mtime', () => {
    const dir = temp('bundle');
    const file = bundle(dir, 5);
    const { mtime } = statSync(file);
    requireWithCodeCache(file).save();
    // An install that restores a tarball's fixed mtime over content of the same length.
    bundle(dir, 6);
    utimesSync(file, mtime, mtime);
    const rewritten = requireWithCodeCache<{ answer(): number }>(file);
    expect(rewritten.fromCache).toBe(false);
    expect(rewritten.exports.answer()).toBe(6);
  });

  it('never runs the code cached for other content of the same length', () => {
    const dir = temp('bundle');
    const file = bundle(dir, 1);
    const first = requireWithCodeCache<{ answer(): number }>(file);
    first.exports.answer();
    first.save();
    // One digit for another: V8's own check (the source's length) would accept the old code.
    bundle(dir, 2);
    const changed = requireWithCodeCache<{ answer(): number }>(file);
    expect(changed.fromCache).toBe(false);
    expect(changed.exports.answer()).toBe(2);
  });

  it('ignores a damaged entry, and the next save replaces it', () => {
    const file = bundle(temp('bundle'), 3);
    const [again, third] = [link(file), link(file)];
    requireWithCodeCache(file).save();
    const [entry] = entries();
    writeFileSync(path.join(cache, 'code', entry!), 'not a code cache');
    const damaged = requireWithCodeCache<{ answer(): number }>(again);
    expect(damaged.fromCache).toBe(false);
    expect(damaged.exports.answer()).toBe(3);
    damaged.save();
    expect(requireWithCodeCache(third).fromCache).toBe(true);
  });

  it('compiles a copy of a bundle once more: its identity is the file, not the content', () => {
    const file = bundle(temp('bundle'), 8);
    requireWithCodeCache(file).save();
    expect(requireWithCodeCache(bundle(temp('copy'), 8)).fromCache).toBe(false);
  });

  it('runs without a cache when the cache folder cannot be written', () => {
    const blocked = path.join(temp('blocked'), 'a-file');
    writeFileSync(blocked, '');
    process.env.KILN_CACHE_DIR = blocked;
    const loaded = requireWithCodeCache<{ answer(): number }>(bundle(temp('bundle'), 4));
    expect(loaded.exports.answer()).toBe(4);
    expect(() => loaded.save()).not.toThrow();
    expect(requireWithCodeCache(bundle(temp('copy'), 4)).fromCache).toBe(false);
  });

  it('keeps the four newest entries of a bundle', () => {
    const links: string[] = [];
    for (let v = 0; v < 6; v++) {
      const before = new Set(safeEntries());
      const file = bundle(temp('bundle'), 10 + v);
      links.push(link(file));
      requireWithCodeCache(file).save();
      // Each entry a minute older than the next, whatever the clock's resolution.
      const made = safeEntries().find((e) => !before.has(e))!;
      const t = Date.now() / 1000 - 60 * (6 - v);
      utimesSync(path.join(cache, 'code', made), t, t);
    }
    expect(entries()).toHaveLength(4);
    expect(requireWithCodeCache(links[5]!).fromCache).toBe(true);
    expect(requireWithCodeCache(links[2]!).fromCache).toBe(true);
    expect(requireWithCodeCache(links[1]!).fromCache).toBe(false);
  });

  const safeEntries = () => {
    try {
      return entries();
    } catch {
      return [];
    }
  };
});
