import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedLinkArgs } from '../../src/compile/link.js';
import { readManifest } from '../../src/manifest/read.js';
import type { Manifest } from '../../src/manifest/schema.js';
import { addonLinkCommand } from '../../src/plugins/addon/link-rules.js';
import { parseTriple } from '../../src/target/triple.js';
import type { Toolchain } from '../../src/toolchain/types.js';
import { splitWords } from '../../src/util/quote.js';
import { kiln, makePackage } from '../support/package.js';

/**
 * A package whose manifest holds every kind of link input: a whole-archive static library, a
 * plain one, a dylib (one marked whole-archive, which means nothing for a shared library), a
 * framework, native and framework search paths, linker flags and rpaths, with spaces in paths.
 */
const CONFIG = `import { defineConfig } from 'kilnjs';
export default defineConfig({
  build(ctx) {
    ctx.emitLink({
      libs: [
        { name: 'core', kind: 'static', path: '/opt/a b/lib/libcore.a', wholeArchive: true },
        { name: 'z', kind: 'dylib' },
        { name: 'util', kind: 'static', path: '/opt/a b/lib/libutil.a' },
        { name: 'plug', kind: 'dylib', wholeArchive: true },
        { name: 'CoreFoundation', kind: 'framework' },
        { name: 'm', kind: 'static' },
      ],
      searchPaths: [
        { kind: 'native', path: '/opt/a b/lib' },
        { kind: 'framework', path: '/opt/fw' },
      ],
      includes: [],
      defines: [],
      cflags: [],
      ldflags: ['-pthread', '-Wl,--as-needed'],
      rpaths: ['/opt/a b/lib', '$ORIGIN/../lib'],
    });
  },
});
`;

function toolchain(triple: string): Toolchain {
  const tool = { program: '/usr/bin/cc', args: [], path: '/usr/bin/cc', compilerArgs: [] };
  return {
    target: parseTriple(triple),
    cc: tool,
    cxx: tool,
    ar: tool,
    ranlib: undefined,
    ccInfo: { family: 'gcc', version: '12.2.0' },
    cxxInfo: { family: 'gcc', version: '12.2.0' },
    targetFlags: [],
    cflags: [],
    cxxflags: [],
    ldflags: [],
    sysroot: undefined,
  };
}

/** Where `part` sits in `whole` as one unbroken run, or -1. */
function indexOfRun(whole: readonly string[], part: readonly string[]): number {
  for (let i = 0; i + part.length <= whole.length; i++) {
    if (part.every((p, j) => whole[i + j] === p)) return i;
  }
  return -1;
}

describe.each([
  ['x86_64-unknown-linux-gnu', '-Wl,--whole-archive'],
  ['aarch64-apple-darwin', '-Wl,-force_load,/opt/a b/lib/libcore.a'],
])('kiln print --libs and the link line agree (%s)', (triple, wholeArchiveFlag) => {
  let root: string;
  let printed: string[];
  let manifest: Manifest;
  beforeAll(async () => {
    root = makePackage({ 'build.config.ts': CONFIG }, { dirName: 'link args ü' });
    const build = await kiln(root, ['build', '--target', triple]);
    expect(build.exitCode, build.all).toBe(0);
    const print = await kiln(root, ['print', '--libs', '--target', triple]);
    expect(print.exitCode, print.all).toBe(0);
    printed = splitWords(print.stdout);
    manifest = await readManifest({ cwd: root, target: triple });
  });

  it('prints search paths, libraries, flags, then rpaths, whole-archive only around archives', () => {
    expect(printed).toContain(wholeArchiveFlag);
    expect(printed).toContain('-lplug');
    expect(printed.filter((w) => /whole-archive|force_load/.test(w))).toHaveLength(
      triple.includes('apple') ? 1 : 2,
    );
    const at = (w: string) => printed.indexOf(w);
    expect(at('-L/opt/a b/lib')).toBeLessThan(at('-lz'));
    expect(at('-F/opt/fw')).toBeLessThan(at('CoreFoundation'));
    expect(at('CoreFoundation')).toBeLessThan(at('-pthread'));
    expect(at('-Wl,--as-needed')).toBeLessThan(at('-Wl,-rpath,/opt/a b/lib'));
    expect(printed.at(-1)).toBe('-Wl,-rpath,$ORIGIN/../lib');
  });

  it('the gyp format passes each linker flag once: libraries, then ldflags with rpaths last', async () => {
    const r = await kiln(root, ['print', '--format', 'gyp', '--target', triple]);
    expect(r.exitCode, r.all).toBe(0);
    const gyp = JSON.parse(r.stdout) as { libraries: string[]; ldflags: string[] };
    expect([...gyp.libraries, ...gyp.ldflags].filter((w) => w === '-pthread')).toHaveLength(1);
    expect(gyp.ldflags[0]).toBe('-pthread');
    expect(gyp.ldflags.at(-1)).toMatch(/^-Wl,-rpath,/);
    expect(gyp.libraries.some((w) => w.startsWith('-L') || w.includes('rpath'))).toBe(false);
  });

  it('the addon link line carries exactly the printed flags, in order', () => {
    const { args } = addonLinkCommand({
      toolchain: toolchain(triple),
      cxx: false,
      output: path.join(root, 'out.node'),
      objects: ['a.o'],
      link: [manifest],
      rpaths: [],
      ldFlags: [],
    });
    expect(indexOfRun(args, printed), args.join(' ')).toBeGreaterThan(args.indexOf('a.o'));
  });

  it('the cc shared-library link line carries exactly the printed flags, in order', () => {
    const { args } = sharedLinkArgs(
      {
        toolchain: toolchain(triple),
        name: 'x',
        output: path.join(root, 'libx.so'),
        objects: ['a.o'],
        cxx: false,
        link: [manifest],
        ldFlags: [],
      },
      path.join(root, 'libx.tmp'),
    );
    expect(indexOfRun(args, printed), args.join(' ')).toBeGreaterThan(args.indexOf('a.o'));
  });
});
