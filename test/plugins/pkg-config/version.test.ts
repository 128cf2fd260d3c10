import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  formatDependency,
  parseDependencyList,
  providesSatisfies,
  satisfies,
} from '../../../src/pkgconf/version.js';

/**
 * [a, b, cmp] triples measured once on pkgconf 1.8.1 (`--exact-version=b` then
 * `--atleast-version=b` against a package whose Version is a): cmp is the sign of a vs b.
 */
const TABLE = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'version-table.json'), 'utf8'),
) as Array<[string, string, number]>;
const VERSIONS = [...new Set(TABLE.map((t) => t[0]))];

describe('compareVersions', () => {
  it(`agrees with pkgconf 1.8.1 on all ${TABLE.length} measured pairs`, () => {
    const bad = TABLE.filter(([a, b, c]) => compareVersions(a, b) !== c);
    expect(bad).toEqual([]);
  });

  it.each([
    ['1.0', '1.0.0', -1],
    ['1.0', '1.0.', 0],
    ['1.0a', '1.0', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.01', '1.1', 0],
    ['1.0A', '1.0a', 0],
    ['1.0B', '1.0a', -1],
    ['2.0.0', '10.0', -1],
    ['1.a', '1.1', -1],
    ['1_0', '1.0', 0],
    ['1.2.3', '1.2.3-rc1', -1],
    ['v1.2', '1.2', -1],
    ['0', '00', 0],
  ] as const)('%s vs %s is %i (as pkgconf says)', (a, b, c) => {
    expect(compareVersions(a, b)).toBe(c);
  });

  it('is antisymmetric and reflexive on measured and random versions', () => {
    const version = fc.oneof(
      fc.constantFrom(...VERSIONS),
      fc.stringMatching(/^[0-9a-zA-Z.~_-]{0,12}$/),
    );
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(compareVersions(a, a)).toBe(0);
        expect(compareVersions(a, b) + compareVersions(b, a)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('orders numeric segments by value whatever their width', () => {
    fc.assert(
      fc.property(fc.nat(1e6), fc.nat(1e6), fc.nat(3), (x, y, zeros) => {
        const a = `1.${'0'.repeat(zeros)}${x}`;
        const b = `1.${y}`;
        expect(compareVersions(a, b)).toBe(Math.sign(x - y));
      }),
      { numRuns: 1000 },
    );
  });

  it('satisfies() follows the operators', () => {
    expect(satisfies('1.5', '>=', '1.2')).toBe(true);
    expect(satisfies('1.5', '<', '1.5')).toBe(false);
    expect(satisfies('1.5', '!=', '1.4')).toBe(true);
    expect(satisfies('1.5', 'any', '9')).toBe(true);
    expect(satisfies('1.5', undefined, undefined)).toBe(true);
  });
});

describe('parseDependencyList (1.8.1 grammar)', () => {
  it.each([
    ['foo , bar >= 1.0 ,, baz', ['foo', 'bar >= 1.0', 'baz']],
    ['foo>=1.2', ['foo>=1.2']],
    ['foo >=1.2', ['foo >= .2']],
    ['foo >0.5', ['foo > .5']],
    ['foo == 1', ['foo (any) 1']],
    ['foo >=', []],
    ['foo > 1, foo < 3', ['foo > 1', 'foo < 3']],
    ['a\tb\nc', ['a', 'b', 'c']],
    ['', []],
  ])('%j parses to %j', (field, expected) => {
    expect(parseDependencyList(field).map(formatDependency)).toEqual(expected);
  });
});

describe('providesSatisfies (table measured on pkgconf)', () => {
  it('never matches an unversioned Provides entry', () => {
    expect(
      providesSatisfies(
        { name: 'v', op: undefined, version: undefined },
        { name: 'v', op: undefined, version: undefined },
      ),
    ).toBe(false);
  });
  it('matches = 1.2 against >= 1.1 but not > 1.2', () => {
    const p = { name: 'v', op: '=' as const, version: '1.2' };
    expect(providesSatisfies(p, { name: 'v', op: '>=', version: '1.1' })).toBe(true);
    expect(providesSatisfies(p, { name: 'v', op: '>', version: '1.2' })).toBe(false);
  });
});
