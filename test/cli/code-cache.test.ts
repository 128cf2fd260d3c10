import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('compiles from source once, then runs from the cache with the same exports', () => {
    const dir = temp('bundle');
    const file = bundle(dir, 7);
    const first = requireWithCodeCache<{ answer(): number; dirname: string }>(file);
    expect(first.fromCache).toBe(false);
    expect(first.exports.answer()).toBe(7);
    expect(first.exports.dirname).toBe(dir);
    first.save();
    expect(entries()).toHaveLength(1);
    // Another install of the same version: the same content, another folder.
    const second = requireWithCodeCache<{ answer(): number }>(bundle(temp('copy'), 7));
    expect(second.fromCache).toBe(true);
    expect(second.exports.answer()).toBe(7);
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
    requireWithCodeCache(bundle(temp('bundle'), 3)).save();
    const [entry] = entries();
    writeFileSync(path.join(cache, 'code', entry!), 'not a code cache');
    const damaged = requireWithCodeCache<{ answer(): number }>(bundle(temp('copy'), 3));
    expect(damaged.fromCache).toBe(false);
    expect(damaged.exports.answer()).toBe(3);
    damaged.save();
    expect(requireWithCodeCache(bundle(temp('copy'), 3)).fromCache).toBe(true);
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
    const dir = temp('bundle');
    for (let v = 0; v < 6; v++) {
      const before = new Set(safeEntries());
      requireWithCodeCache(bundle(dir, 10 + v)).save();
      // Each entry a minute older than the next, whatever the clock's resolution.
      const made = safeEntries().find((e) => !before.has(e))!;
      const t = Date.now() / 1000 - 60 * (6 - v);
      utimesSync(path.join(cache, 'code', made), t, t);
    }
    expect(entries()).toHaveLength(4);
    expect(requireWithCodeCache(bundle(temp('copy'), 15)).fromCache).toBe(true);
    expect(requireWithCodeCache(bundle(temp('copy'), 12)).fromCache).toBe(true);
    expect(requireWithCodeCache(bundle(temp('copy'), 11)).fromCache).toBe(false);
  });

  const safeEntries = () => {
    try {
      return entries();
    } catch {
      return [];
    }
  };
});
