import { open, readFile } from 'node:fs/promises';
import { KilnError } from '../errors.js';
import { ARCHES } from './tables.js';

/**
 * Reading arches straight from file headers, so verifying a lipo merge or a cross build never
 * depends on parsing a tool's human-readable output (which differs between Apple's lipo,
 * llvm-lipo and `file` versions).
 */

/** Mach-O cputypes (`mach/machine.h`); the 0x01000000 bit is CPU_ARCH_ABI64. */
const MACHO_CPU: Readonly<Record<number, string>> = {
  16777223: 'x86_64',
  16777228: 'arm64',
  33554444: 'arm64_32',
  7: 'i386',
  12: 'arm',
  18: 'ppc',
  16777234: 'ppc64',
};

const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;
const MH_MAGIC = 0xfeedface;
const MH_MAGIC_64 = 0xfeedfacf;
const AR_MAGIC = '!<arch>\n';

/**
 * The Apple arch names (`x86_64`, `arm64`) in a Mach-O file: a thin object/dylib/executable, a
 * fat (universal) file, or a static archive of Mach-O members (BSD/darwin or GNU format). Returns
 * an empty list for an archive with no Mach-O members. Throws TARGET_UNSUPPORTED naming the file
 * when it is not Mach-O at all.
 */
export async function machoArchs(file: string): Promise<string[]> {
  // Headers are small; only an archive needs the whole file (its members follow one another).
  let data = await readHead(file, 4096);
  if (data.subarray(0, 8).toString('latin1') === AR_MAGIC) data = await readFile(file);
  const archs = archsOf(data, file);
  if (!archs) {
    throw new KilnError('TARGET_UNSUPPORTED', `${file} is not a Mach-O file or archive`, {
      hint: 'Only Mach-O objects, dylibs, executables and static archives can be merged with lipo; check that the file was built for an Apple target.',
      details: `First bytes: ${data.subarray(0, 8).toString('hex') || '(empty file)'}`,
    });
  }
  return archs;
}

function archsOf(data: Buffer, file: string): string[] | undefined {
  if (data.length < 8) return undefined;
  const be = data.readUInt32BE(0);
  // 0xcafebabe is also Java's class-file magic; a class file has its version (>= 45) where a fat
  // header has a small arch count.
  if ((be === FAT_MAGIC || be === FAT_MAGIC_64) && data.readUInt32BE(4) < 45) {
    const count = data.readUInt32BE(4);
    const entry = be === FAT_MAGIC ? 20 : 32;
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const off = 8 + i * entry;
      if (off + 8 > data.length) throw truncated(file);
      out.push(cpuName(data.readInt32BE(off) >>> 0, data.readInt32BE(off + 4) >>> 0));
    }
    return out;
  }
  const thin = thinArch(data, 0);
  if (thin) return [thin];
  if (data.subarray(0, 8).toString('latin1') === AR_MAGIC) return archiveArchs(data, file);
  return undefined;
}

function thinArch(data: Buffer, off: number): string | undefined {
  if (off + 12 > data.length) return undefined;
  const le = data.readUInt32LE(off);
  if (le === MH_MAGIC || le === MH_MAGIC_64) {
    return cpuName(data.readUInt32LE(off + 4), data.readUInt32LE(off + 8));
  }
  const be = data.readUInt32BE(off);
  if (be === MH_MAGIC || be === MH_MAGIC_64) {
    return cpuName(data.readUInt32BE(off + 4), data.readUInt32BE(off + 8));
  }
  return undefined;
}

function cpuName(cputype: number, cpusubtype: number): string {
  // x86_64h (Haswell) is subtype 8; lipo lists it as its own arch.
  if (cputype === 0x01000007 && (cpusubtype & 0xff) === 8) return 'x86_64h';
  if (cputype === 0x0100000c && (cpusubtype & 0xff) === 2) return 'arm64e';
  return MACHO_CPU[cputype] ?? `cputype(0x${cputype.toString(16)})`;
}

/** Walks `ar` members: 60-byte headers, BSD `#1/<len>` long names stored before the data. */
function archiveArchs(data: Buffer, file: string): string[] {
  const found = new Set<string>();
  let off = 8;
  while (off + 60 <= data.length) {
    const name = data
      .subarray(off, off + 16)
      .toString('latin1')
      .trimEnd();
    const size = Number.parseInt(
      data
        .subarray(off + 48, off + 58)
        .toString('latin1')
        .trim(),
      10,
    );
    if (!Number.isFinite(size) || data.subarray(off + 58, off + 60).toString('latin1') !== '`\n') {
      throw truncated(file);
    }
    let body = off + 60;
    const bsd = /^#1\/(\d+)$/.exec(name);
    if (bsd) body += Number(bsd[1]);
    const arch = thinArch(data, body);
    if (arch) found.add(arch);
    off += 60 + size + (size % 2);
  }
  return [...found];
}

async function readHead(file: string, size: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(size);
    const { bytesRead } = await fh.read(buf, 0, size, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function truncated(file: string): KilnError {
  return new KilnError('TARGET_UNSUPPORTED', `${file} is truncated or corrupt`, {
    hint: 'Rebuild it; an interrupted build or a partial copy leaves such files behind.',
  });
}

export interface ElfInfo {
  /** `e_machine` (62 x86-64, 183 AArch64, 40 ARM, 3 i386, 243 RISC-V, 21 PowerPC64, 22 s390). */
  machine: number;
  /** The canonical triple arch for `machine` and class/endianness, e.g. `aarch64`. */
  arch: string;
  bits: 32 | 64;
  endian: 'little' | 'big';
}

/**
 * Reads an ELF header: the machine, class and byte order, named as Kiln's triple arches. Throws
 * TARGET_UNSUPPORTED naming the file when it is not ELF.
 */
export async function elfMachine(file: string): Promise<ElfInfo> {
  const head = await readHead(file, 20);
  if (head.length < 20 || head.readUInt32BE(0) !== 0x7f454c46) {
    throw new KilnError('TARGET_UNSUPPORTED', `${file} is not an ELF file`, {
      hint: 'Expected a Linux/BSD object, shared library or executable.',
      details: `First bytes: ${head.subarray(0, 8).toString('hex')}`,
    });
  }
  const bits = head[4] === 2 ? 64 : 32;
  const endian = head[5] === 2 ? 'big' : 'little';
  const machine = endian === 'little' ? head.readUInt16LE(18) : head.readUInt16BE(18);
  return { machine, arch: elfArch(machine, bits, endian), bits, endian };
}

function elfArch(machine: number, bits: 32 | 64, endian: 'little' | 'big'): string {
  if (machine === 21) return endian === 'little' ? 'powerpc64le' : 'powerpc64';
  if (machine === 22) return bits === 64 ? 's390x' : 's390';
  if (machine === 8) return bits === 64 ? 'mips64el' : endian === 'little' ? 'mipsel' : 'mips';
  if (machine === 40) return 'armv7';
  for (const [name, info] of Object.entries(ARCHES)) {
    if (info.elf === machine) return name;
  }
  return `e_machine(${machine})`;
}
