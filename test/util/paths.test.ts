import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinPath, relativeInside, relativePath, resolvePath } from '../../src/util/paths.js';

// Segments that exercise every rule: dot segments, names that only look like them, spaces,
// non-ASCII, and empty ones (doubled and trailing slashes).
const SEGMENTS = ['', '.', '..', 'a', 'b', '..a', 'a.', '.a', 'a b', 'é', 'usr', 'include'];

/** A deterministic pseudo-random generator: the same paths on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomPath(next: () => number): string {
  const n = Math.floor(next() * 5);
  const parts = Array.from({ length: n }, () => SEGMENTS[Math.floor(next() * SEGMENTS.length)]);
  const rel = parts.join('/');
  return next() < 0.6 ? `/${rel}` : rel;
}

describe.runIf(path.sep === '/')('resolvePath, relativePath and joinPath', () => {
  it('answer what node:path answers, on 30,000 random pairs', () => {
    const next = rng(20261201);
    for (let i = 0; i < 30_000; i++) {
      const a = randomPath(next);
      const b = randomPath(next);
      const c = randomPath(next);
      expect(resolvePath(a, b), `resolve(${a}, ${b})`).toBe(path.resolve(a, b));
      expect(resolvePath(b), `resolve(${b})`).toBe(path.resolve(b));
      expect(relativePath(a, b), `relative(${a}, ${b})`).toBe(path.relative(a, b));
      expect(joinPath(a), `join(${a})`).toBe(path.join(a));
      expect(joinPath(a, b, c), `join(${a}, ${b}, ${c})`).toBe(path.join(a, b, c));
    }
  });

  it('take the plain paths a build uses without node:path', () => {
    expect(resolvePath('/pkg root', 'lib/common/mem.h')).toBe('/pkg root/lib/common/mem.h');
    expect(resolvePath('/pkg', '/usr/include/stdio.h')).toBe('/usr/include/stdio.h');
    expect(resolvePath('/', 'x')).toBe('/x');
    expect(relativePath('/pkg', '/pkg/lib/x.c')).toBe('lib/x.c');
    expect(relativePath('/pkg/a', '/pkg/ab/x.c')).toBe('../ab/x.c');
    expect(relativePath('/pkg', '/usr/include/stdio.h')).toBe('../usr/include/stdio.h');
    expect(relativePath('/pkg', '/pkg')).toBe('');
    expect(relativePath('/', '/pkg')).toBe('pkg');
    expect(relativePath('/pkg/x', '/')).toBe('../..');
    expect(joinPath('/pkg root', 'obj', 'pkg/a b.c.o')).toBe('/pkg root/obj/pkg/a b.c.o');
    expect(joinPath('/', 'x')).toBe('/x');
    expect(joinPath('obj', 'pkg')).toBe('obj/pkg');
  });

  it('say what is inside a folder by whole segments: `..cache` is inside, `../x` and `..` are not', () => {
    expect(relativeInside('/pkg', '/pkg/lib/x.c')).toBe('lib/x.c');
    expect(relativeInside('/pkg', '/pkg')).toBe('');
    expect(relativeInside('/pkg', '/pkg/..cache/x.o')).toBe('..cache/x.o');
    expect(relativeInside('/pkg', '/other/x.c')).toBeUndefined();
    expect(relativeInside('/pkg/a', '/pkg')).toBeUndefined();
    expect(relativeInside('/pkg', '/pkg/../pkg/lib/x.c')).toBe('lib/x.c');
  });
});
