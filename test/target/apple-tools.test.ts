import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect } from 'vitest';
import type { KilnError } from '../../src/errors.js';
import {
  appleArchName,
  appleCompileFlags,
  deploymentTarget,
  machoArchs,
  parseTriple,
} from '../../src/target/index.js';
import { lipoMerge } from '../../src/toolchain/lipo.js';
import { hasTool, itWith } from '../support/tools.js';
import { FIXTURES, llvmTool, makeContext, tempDir } from './support.js';

/**
 * Apple targets without a Mac: clang emits Mach-O for any target, llvm-ar writes darwin-format
 * archives, ld64.lld links a freestanding dylib (no libSystem, so no SDK), llvm-lipo merges. The
 * compile lines come from appleCompileFlags/deploymentTarget, proving real clang accepts them.
 */
const LIPO = llvmTool('llvm-lipo');
const OBJDUMP = llvmTool('llvm-objdump');
const TOOLS = ['clang', 'llvm-ar', OBJDUMP, LIPO, 'file'];
const it = itWith(...TOOLS);

const SOURCES = ['add.c', 'mul.c'].map((f) => path.join(FIXTURES, 'apple', f));
const PARTS = ['x86_64-apple-darwin', 'aarch64-apple-darwin'] as const;

interface Built {
  objects: string[];
  archive: string;
  dylib: string;
}

const dir = tempDir('kiln-apple-');
const built: Record<string, Built> = {};
/** What `file` and llvm-objdump call each arch. */
const OBJDUMP_CPU: Record<string, string> = { x86_64: 'X86_64', arm64: 'ARM64' };

function targetFlags(triple: string): string[] {
  const t = parseTriple(triple);
  return appleCompileFlags(
    t,
    deploymentTarget(() => undefined, t),
  );
}

async function buildPart(triple: string): Promise<Built> {
  const arch = appleArchName(parseTriple(triple));
  const flags = targetFlags(triple);
  const objects: string[] = [];
  for (const src of SOURCES) {
    const obj = path.join(dir, `${path.basename(src, '.c')}-${arch}.o`);
    await execa('clang', [...flags, '-O2', '-c', src, '-o', obj]);
    objects.push(obj);
  }
  const archive = path.join(dir, `libkadd-${arch}.a`);
  await execa('llvm-ar', ['--format=darwin', 'rcsD', archive, ...objects]);
  const dylib = path.join(dir, `libkadd-${arch}.dylib`);
  await execa('clang', [
    ...flags,
    '-fuse-ld=lld',
    '-nostdlib',
    '-shared',
    '-undefined',
    'dynamic_lookup',
    `-Wl,-install_name,@rpath/libkadd.dylib`,
    ...objects,
    '-o',
    dylib,
  ]);
  return { objects, archive, dylib };
}

describe('Apple targets on real tools, without a Mac', () => {
  beforeAll(async () => {
    if (TOOLS.every(hasTool)) {
      for (const part of PARTS) built[part] = await buildPart(part);
    }
  });

  it.each(PARTS)(
    '%s compiles to Mach-O objects for its arch and deployment target',
    async (triple) => {
      const arch = appleArchName(parseTriple(triple));
      for (const obj of built[triple]!.objects) {
        expect(await machoArchs(obj)).toEqual([arch]);
        const { stdout: desc } = await execa('file', ['-b', obj]);
        expect(desc).toContain(`Mach-O 64-bit ${arch} object`);
        const { stdout: headers } = await execa(OBJDUMP, ['--macho', '--private-headers', obj]);
        expect(headers).toMatch(new RegExp(`MH_MAGIC_64\\s+${OBJDUMP_CPU[arch]}`));
        // The deployment target reached the object: arm64 11.0, x86_64 10.13 (Kiln's defaults).
        const minos = arch === 'arm64' ? '11.0' : '10.13';
        expect(headers).toMatch(new RegExp(`(minos|version) ${minos.replace('.', '\\.')}`));
      }
    },
  );

  it.each(PARTS)('%s archives into a darwin-format static library', async (triple) => {
    const { archive } = built[triple]!;
    const head = (await readFile(archive)).subarray(0, 12).toString('latin1');
    // BSD/darwin archives store long member names as `#1/<len>`, unlike GNU's `/` tables.
    expect(head).toBe('!<arch>\n#1/1');
    expect(await machoArchs(archive)).toEqual([appleArchName(parseTriple(triple))]);
    const { stdout } = await execa('llvm-ar', ['t', archive]);
    expect(stdout.split('\n')).toEqual(
      expect.arrayContaining(['add-' + appleArchName(parseTriple(triple)) + '.o']),
    );
  });

  it.each(PARTS)('%s links a freestanding dylib with -undefined dynamic_lookup', async (triple) => {
    const arch = appleArchName(parseTriple(triple));
    const { dylib } = built[triple]!;
    expect(await machoArchs(dylib)).toEqual([arch]);
    const { stdout } = await execa('file', ['-b', dylib]);
    expect(stdout).toContain(`Mach-O 64-bit ${arch} dynamically linked shared library`);
    const { stdout: syms } = await execa(OBJDUMP, ['--macho', '--exports-trie', dylib]);
    expect(syms).toContain('_kiln_add');
  });

  it('lipoMerge makes a universal dylib that lipo and our header reader both see as x86_64 + arm64', async () => {
    const ctx = makeContext('universal-apple-darwin');
    const out = path.join(dir, 'universal', 'libkadd.dylib');
    await lipoMerge(
      ctx,
      PARTS.map((p) => built[p]!.dylib),
      out,
    );
    expect(await machoArchs(out)).toEqual(['x86_64', 'arm64']);
    const { stdout } = await execa(LIPO, ['-info', out]);
    expect(stdout).toMatch(/Architectures in the fat file: .* are: x86_64 arm64/);
    const { stdout: desc } = await execa('file', ['-b', out]);
    expect(desc).toContain('Mach-O universal binary with 2 architectures');
  });

  it('lipoMerge makes a universal static library', async () => {
    const ctx = makeContext('universal-apple-darwin');
    const out = path.join(dir, 'universal', 'libkadd.a');
    await lipoMerge(
      ctx,
      PARTS.map((p) => built[p]!.archive),
      out,
    );
    expect(await machoArchs(out)).toEqual(['x86_64', 'arm64']);
    const { stdout } = await execa(LIPO, ['-archs', out]);
    expect(stdout.trim()).toBe('x86_64 arm64');
  });

  it('lipoMerge given only one arch fails naming the arches found and expected, leaving the old output alone', async () => {
    const ctx = makeContext('universal-apple-darwin');
    const out = path.join(dir, 'partial.dylib');
    await writeFile(out, 'previous good output');
    const error = (await lipoMerge(ctx, [built['aarch64-apple-darwin']!.dylib], out).catch(
      (e) => e,
    )) as KilnError;
    expect(error.code).toBe('TARGET_UNSUPPORTED');
    expect(error.message).toContain(out);
    expect(error.message).toContain('lack x86_64');
    expect(error.message).toContain('found arm64');
    expect(error.message).toContain('expected x86_64, arm64');
    expect(error.hint).toMatch(/Build every part/);
    expect(await readFile(out, 'utf8')).toBe('previous good output');
  });

  it('lipoMerge given the same arch twice fails naming the duplicate', async () => {
    const ctx = makeContext('universal-apple-darwin');
    const { dylib, archive } = built['x86_64-apple-darwin']!;
    const error = (await lipoMerge(ctx, [dylib, archive], path.join(dir, 'dup.dylib')).catch(
      (e) => e,
    )) as KilnError;
    expect(error.code).toBe('TARGET_UNSUPPORTED');
    expect(error.message).toBe(
      `${archive}: x86_64 is already in another input of ${path.join(dir, 'dup.dylib')}`,
    );
  });

  it('lipoMerge given a file that is not Mach-O fails naming it', async () => {
    const ctx = makeContext('universal-apple-darwin');
    const elf = path.join(dir, 'host.o');
    await execa('clang', ['-c', SOURCES[0]!, '-o', elf]);
    for (const wrong of [elf, SOURCES[0]!]) {
      const error = (await lipoMerge(
        ctx,
        [built['x86_64-apple-darwin']!.dylib, wrong],
        path.join(dir, 'bad.dylib'),
      ).catch((e) => e)) as KilnError;
      expect(error.code).toBe('TARGET_UNSUPPORTED');
      expect(error.message).toBe(`${wrong} is not a Mach-O file or archive`);
    }
  });

  it('lipoMerge without any lipo tool fails with TOOL_NOT_FOUND and an install hint', async () => {
    const inputs = PARTS.map((p) => built[p]!.dylib);
    const viaEnv = makeContext('universal-apple-darwin', { LIPO: '/nonexistent/lipo' });
    const e1 = (await lipoMerge(viaEnv, inputs, path.join(dir, 'x.dylib')).catch(
      (e) => e,
    )) as KilnError;
    expect(e1.code).toBe('TOOL_NOT_FOUND');
    expect(e1.message).toContain('LIPO=/nonexistent/lipo');
    expect(e1.hint).toMatch(/xcode-select --install.*apt install llvm/);

    const savedPath = process.env.PATH;
    process.env.PATH = tempDir('kiln-empty-path-');
    try {
      const e2 = (await lipoMerge(
        makeContext('universal-apple-darwin', {}),
        inputs,
        path.join(dir, 'y.dylib'),
      ).catch((e) => e)) as KilnError;
      expect(e2.code).toBe('TOOL_NOT_FOUND');
      expect(e2.details).toContain('lipo, llvm-lipo, llvm-lipo-<N>');
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('lipoMerge honours LIPO', async () => {
    const ctx = makeContext('universal-apple-darwin', { ...process.env, LIPO: LIPO });
    const out = path.join(dir, 'via-env.dylib');
    await lipoMerge(
      ctx,
      PARTS.map((p) => built[p]!.dylib),
      out,
    );
    expect(await machoArchs(out)).toEqual(['x86_64', 'arm64']);
  });

  it('a thin target expects only its own arch', async () => {
    const ctx = makeContext('aarch64-apple-darwin');
    const out = path.join(dir, 'thin.dylib');
    await lipoMerge(ctx, [built['aarch64-apple-darwin']!.dylib], out);
    expect(await machoArchs(out)).toEqual(['arm64']);
  });
});
