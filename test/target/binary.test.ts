import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { KilnError } from '../../src/errors.js';
import { elfMachine, machoArchs } from '../../src/target/index.js';
import { lipoMerge, parseLipoInfo } from '../../src/toolchain/lipo.js';
import { itWith } from '../support/tools.js';
import { FIXTURES, makeContext, tempDir } from './support.js';

const dir = tempDir('kiln-binary-');

/** A minimal Mach-O header: magic, cputype, cpusubtype, then zeros. */
function machHeader(cputype: number, subtype = 3, magic = 0xfeedfacf): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(magic, 0);
  b.writeUInt32LE(cputype, 4);
  b.writeUInt32LE(subtype, 8);
  return b;
}

function fatHeader(cputypes: number[]): Buffer {
  const b = Buffer.alloc(8 + cputypes.length * 20);
  b.writeUInt32BE(0xcafebabe, 0);
  b.writeUInt32BE(cputypes.length, 4);
  cputypes.forEach((c, i) => {
    b.writeUInt32BE(c, 8 + i * 20);
  });
  return b;
}

/** A GNU-format archive (the format binutils writes) holding the given members. */
function gnuArchive(members: [name: string, data: Buffer][]): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n', 'latin1')];
  for (const [name, data] of members) {
    const header = `${`${name}/`.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'644'.padEnd(8)}${String(data.length).padEnd(10)}\`\n`;
    parts.push(Buffer.from(header, 'latin1'), data);
    if (data.length % 2) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

async function file(name: string, data: Buffer | string): Promise<string> {
  const f = path.join(dir, name);
  await writeFile(f, data);
  return f;
}

describe('machoArchs', () => {
  it.each([
    ['x86_64 thin', machHeader(0x01000007), ['x86_64']],
    ['arm64 thin', machHeader(0x0100000c, 0), ['arm64']],
    ['arm64e thin', machHeader(0x0100000c, 2), ['arm64e']],
    ['x86_64h thin', machHeader(0x01000007, 8), ['x86_64h']],
    ['i386 32-bit', machHeader(7, 3, 0xfeedface), ['i386']],
    ['fat x86_64 + arm64', fatHeader([0x01000007, 0x0100000c]), ['x86_64', 'arm64']],
    ['GNU archive of an arm64 member', gnuArchive([['a.o', machHeader(0x0100000c, 0)]]), ['arm64']],
    ['archive without Mach-O members', gnuArchive([['a.txt', Buffer.from('hello')]]), []],
  ] as const)('reads %s', async (name, data, archs) => {
    expect(await machoArchs(await file(`${name}.bin`, data))).toEqual(archs);
  });

  it('does not take a Java class file (also 0xcafebabe) for a fat binary', async () => {
    const cls = Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x41]);
    await expect(machoArchs(await file('A.class', cls))).rejects.toMatchObject({
      code: 'TARGET_UNSUPPORTED',
    });
  });

  it('reports a truncated fat header as corrupt, naming the file', async () => {
    const f = await file('cut.bin', fatHeader([0x01000007, 0x0100000c]).subarray(0, 20));
    await expect(machoArchs(f)).rejects.toThrow(`${f} is truncated or corrupt`);
  });

  it('rejects an empty or text file naming it', async () => {
    for (const f of [await file('empty', ''), path.join(FIXTURES, 'apple', 'add.c')]) {
      await expect(machoArchs(f)).rejects.toThrow(`${f} is not a Mach-O file or archive`);
    }
  });
});

describe('elfMachine', () => {
  itWith('clang')('reads the host object clang writes', async () => {
    const obj = path.join(dir, 'host.o');
    await execa('clang', ['-c', path.join(FIXTURES, 'apple', 'add.c'), '-o', obj]);
    expect(await elfMachine(obj)).toMatchObject({ machine: 62, arch: 'x86_64', bits: 64 });
  });

  itWith('clang')('reads 32-bit ARM and big-endian s390x objects', async () => {
    const cases: [string, object][] = [
      ['armv7-unknown-linux-gnueabihf', { machine: 40, arch: 'armv7', bits: 32, endian: 'little' }],
      ['s390x-unknown-linux-gnu', { machine: 22, arch: 's390x', bits: 64, endian: 'big' }],
      [
        'powerpc64le-unknown-linux-gnu',
        { machine: 21, arch: 'powerpc64le', bits: 64, endian: 'little' },
      ],
      ['riscv64-unknown-linux-gnu', { machine: 243, arch: 'riscv64gc', bits: 64 }],
    ];
    for (const [target, expected] of cases) {
      const obj = path.join(dir, `${target}.o`);
      await execa('clang', [
        `--target=${target}`,
        '-c',
        path.join(FIXTURES, 'apple', 'add.c'),
        '-o',
        obj,
      ]);
      expect(await elfMachine(obj)).toMatchObject(expected);
    }
  });

  it('rejects a Mach-O file naming it', async () => {
    const f = await file('macho.o', machHeader(0x0100000c, 0));
    await expect(elfMachine(f)).rejects.toThrow(`${f} is not an ELF file`);
  });
});

describe('lipo output parsing and verification', () => {
  it.each([
    ['Architectures in the fat file: /a b/lib.a are: x86_64 arm64 \n', ['x86_64', 'arm64']],
    ['Non-fat file: lib.dylib is architecture: arm64\n', ['arm64']],
    ['garbage', []],
  ])('parses %j', (text, archs) => {
    expect(parseLipoInfo(text)).toEqual(archs);
  });

  it('catches a lipo that drops an arch even when its -info output claims both', async () => {
    // A lying lipo: copies the first input as the "merged" file and reports both arches.
    const fake = path.join(dir, 'lying-lipo');
    await writeFile(
      fake,
      [
        '#!/bin/sh',
        'if [ "$1" = "-info" ]; then echo "Architectures in the fat file: $2 are: x86_64 arm64"; exit 0; fi',
        'shift; first="$1"; while [ "$1" != "-output" ]; do shift; done; cp "$first" "$2"',
      ].join('\n'),
    );
    await chmod(fake, 0o755);
    const x86 = await file('x.o', machHeader(0x01000007));
    const arm = await file('a.o', machHeader(0x0100000c, 0));
    const ctx = makeContext('universal-apple-darwin', { ...process.env, LIPO: fake });
    const out = path.join(dir, 'verified.o');
    const error = (await lipoMerge(ctx, [x86, arm], out).catch((e) => e)) as KilnError;
    expect(error.code).toBe('TARGET_UNSUPPORTED');
    expect(error.message).toContain('lack arm64');
    expect(error.message).toContain('found x86_64');
    expect(error.details).toContain('-info');
    await expect(machoArchs(out)).rejects.toThrow(/ENOENT/);
  });

  it('refuses to lipo for a non-Apple target', async () => {
    const ctx = makeContext('x86_64-unknown-linux-gnu');
    await expect(lipoMerge(ctx, [], path.join(dir, 'nope'))).rejects.toMatchObject({
      code: 'TARGET_UNSUPPORTED',
      message: expect.stringContaining('x86_64-unknown-linux-gnu'),
    });
  });
});
