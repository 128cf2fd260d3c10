// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name}` is .pc variable syntax, not a template.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderFragments } from '../../../src/cli/pkg-config/render.js';
import { KilnError } from '../../../src/errors.js';
import { isInvalid, loadPackage } from '../../../src/pkgconf/package.js';
import { ours } from './oracle.js';

const BASIC = path.resolve(import.meta.dirname, '../../../native-fixtures/pkgconfig/basic');
const SEEDS = readdirSync(BASIC).map((f) => readFileSync(path.join(BASIC, f), 'utf8'));

/** Loads a file the way the resolver does; only a KilnError may escape. */
function load(text: string, globals: Record<string, string> = {}): void {
  const g = new Map([['pc_sysrootdir', '/'], ...Object.entries(globals)]);
  try {
    const p = loadPackage('/fuzz/f.pc', text, {
      globals: g,
      sysroot: '/sr',
      fdoSysrootRules: false,
    });
    if (!isInvalid(p)) {
      renderFragments([...p.cflags, ...p.libs, ...p.cflagsPrivate, ...p.libsPrivate]);
    }
  } catch (e) {
    if (!(e instanceof KilnError)) throw e;
    expect(e.code).toBe('PKG_INVALID');
  }
}

const token = fc.constantFrom(
  'prefix',
  '=',
  ':',
  '${',
  '}',
  '${prefix}',
  '$$',
  '$',
  '\\',
  '\\\n',
  '\\\r\n',
  '\r',
  '\n',
  '#',
  '\\#',
  '"',
  "'",
  ' ',
  '\t',
  ',',
  '>=',
  '<',
  '!=',
  '-I/x',
  '-l',
  '-framework',
  '-Wl,',
  '/a.a',
  'Name:',
  'Libs:',
  'Cflags:',
  'Requires:',
  'Version:',
  'Description:',
  'é',
  '\u0000',
  '~',
);
const generated = fc
  .array(fc.oneof(token, fc.string({ maxLength: 6 })), { maxLength: 60 })
  .map((t) => t.join(''));
const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.oneof(token, fc.string({ maxLength: 4 }))), {
      maxLength: 6,
    }),
  )
  .map(([seed, edits]) => {
    let s = seed;
    for (const [at, del, ins] of edits) {
      const i = at % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(i + del);
    }
    return s;
  });

describe('.pc parser fuzzing', () => {
  it('survives 10 000 generated and mutated files without crashing or hanging', () => {
    const started = performance.now();
    fc.assert(
      fc.property(fc.oneof(generated, mutated), (text) => {
        load(text);
      }),
      { numRuns: 10_000 },
    );
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('stops exponential expansion ("billion laughs") with PKG_INVALID', () => {
    const lines = ['v0=lol'];
    for (let i = 1; i <= 40; i++) lines.push(`v${i}=\${v${i - 1}}\${v${i - 1}}\${v${i - 1}}`);
    const text = `${lines.join('\n')}\nName: x\nDescription: x\nVersion: 1\nLibs: \${v40}\n`;
    expect(() =>
      loadPackage('/f.pc', text, {
        globals: new Map(),
        sysroot: undefined,
        fdoSysrootRules: false,
      }),
    ).toThrow(/more than 65535 bytes/);
  });

  it('stops a reference loop through a global with PKG_INVALID', () => {
    const text = 'a=${g}\nb=${a}\nName: x\nDescription: x\nVersion: 1\nLibs: ${b}\n';
    const globals = new Map([['g', '${a}']]);
    let err: unknown;
    try {
      loadPackage('/f.pc', text, { globals, sysroot: undefined, fdoSysrootRules: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).code).toBe('PKG_INVALID');
    expect((err as KilnError).message).toContain('/f.pc');
  });

  it('handles a 1 MiB line and deep ${ nesting quickly', () => {
    const started = performance.now();
    load(`Name: x\nDescription: x\nVersion: 1\nLibs: ${'-lx '.repeat(350_000)}\n`);
    load(`a=${'${'.repeat(50_000)}\nName: x\nDescription: x\nVersion: 1\n`);
    load('\\'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('hostile dependency graphs', () => {
  it('stops an exponential graph (40 layers of diamonds) with PKG_INVALID instead of hanging', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-diamonds-'));
    for (let i = 0; i < 40; i++) {
      for (const side of ['a', 'b']) {
        const req = i < 39 ? `Requires: l${i + 1}a l${i + 1}b\n` : '';
        writeFileSync(
          path.join(dir, `l${i}${side}.pc`),
          `Name: l\nDescription: d\nVersion: 1\n${req}Libs: -l${i}\n`,
        );
      }
    }
    const started = performance.now();
    const r = await ours(['--libs', 'l0a'], { PKG_CONFIG_LIBDIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('too large to walk');
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
