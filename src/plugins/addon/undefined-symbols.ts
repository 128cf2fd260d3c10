/**
 * An addon that links but cannot load is a build error. On ELF targets `-shared` lets undefined
 * symbols through (Node provides the N-API ones at load time), so a misspelt function or a
 * library left out of `link` only shows up as `undefined symbol: ...` when `require()` runs, on
 * the user's machine. After the link, every undefined dynamic symbol of the `.node` must be
 * defined by a library it needs (DT_NEEDED, with what those need) or exported by the running
 * `node`.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import type { LinkInfo } from '../../manifest/schema.js';
import type { BuildContext } from '../../runner/types.js';
import type { Triple } from '../../target/triple.js';
import type { Toolchain } from '../../toolchain/index.js';

export interface SymbolCheckInput {
  /** The linked `.node` (possibly still at its temporary path). */
  file: string;
  /** How the user knows it: `binding.node`. */
  name: string;
  target: Triple;
  toolchain: Toolchain;
  link: readonly LinkInfo[];
}

/** Throws LINK_FAILED naming the symbols nothing provides; skips (debug log) where it cannot know. */
export async function checkUndefinedSymbols(
  ctx: BuildContext,
  input: SymbolCheckInput,
): Promise<void> {
  const skip = skipReason(ctx, input.target);
  if (skip) {
    ctx.log.debug(`undefined-symbol check of ${input.name} skipped: ${skip}`);
    return;
  }
  const addon = await readElfDynamic(input.file);
  if (!addon) return;
  const undefinedNames = addon.undefined;
  if (undefinedNames.length === 0) return;
  const dirs = await searchDirs(ctx, input, addon);
  const provided = new Set<string>();
  const missingLibs: string[] = [];
  await loadClosure(addon.needed, dirs, addon, provided, missingLibs);
  if (missingLibs.length > 0) {
    ctx.log.debug(
      `undefined-symbol check of ${input.name} skipped: cannot find ${missingLibs.join(', ')} in ${dirs.join(', ')}`,
    );
    return;
  }
  for (const name of await nodeExports(ctx, dirs)) provided.add(name);
  const missing = undefinedNames.filter((s) => !provided.has(s)).sort();
  if (missing.length === 0) return;
  const shown = missing.slice(0, 20);
  throw new KilnError(
    'LINK_FAILED',
    `${input.name} links but cannot be loaded: undefined symbol${missing.length > 1 ? 's' : ''} ${shown.join(', ')}${missing.length > shown.length ? `, and ${missing.length - shown.length} more` : ''}`,
    {
      hint: 'Define the function, correct its name, or add the library that defines it to `link` (a C++ name needs `extern "C"` to match a C declaration).',
      details: [
        'Not defined by the addon, by the libraries it needs, nor by node:',
        ...missing.map((s) => `  ${s}`),
        `Libraries it needs: ${addon.needed.join(', ') || '(none)'}`,
        `Node: ${process.execPath}`,
      ].join('\n'),
    },
  );
}

function skipReason(ctx: BuildContext, target: Triple): string | undefined {
  if (target.os === 'darwin' || target.os === 'ios') {
    return 'macOS addons link with -undefined dynamic_lookup';
  }
  if (target.os === 'windows') return 'Windows links fail on undefined symbols already';
  if (target.triple !== ctx.host.triple) {
    return `the running node is built for ${ctx.host.triple}, not ${target.triple}`;
  }
  if (process.platform === 'darwin' || process.platform === 'win32') {
    return 'the running node is not an ELF binary';
  }
  return undefined;
}

/** Directories a DT_NEEDED name is looked up in, in the dynamic linker's order as far as known. */
async function searchDirs(
  ctx: BuildContext,
  input: SymbolCheckInput,
  addon: ElfDynamic,
): Promise<string[]> {
  const origin = path.dirname(input.file);
  const dirs = addon.runpath.map((d) => d.replace(/\$(?:ORIGIN|\{ORIGIN\})/g, origin));
  for (const l of input.link) {
    dirs.push(...l.rpaths, ...l.searchPaths.map((s) => s.path));
    for (const lib of l.libs) if (lib.path) dirs.push(path.dirname(lib.path));
  }
  dirs.push(...(await compilerLibraryDirs(ctx, input.toolchain)));
  dirs.push('/lib64', '/usr/lib64', '/lib', '/usr/lib');
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

/** `cc -print-search-dirs`' library list: where the toolchain (and so libc, libstdc++) lives. */
function compilerLibraryDirs(ctx: BuildContext, toolchain: Toolchain): Promise<string[]> {
  const cc = toolchain.cc;
  return ctx.cache(`addon:search-dirs:${cc.path}:${cc.args.join(' ')}`, async () => {
    const r = await ctx.exec(cc.program, [...cc.args, '-print-search-dirs'], {
      jobs: 0,
      directives: false,
      allowFailure: true,
      env: { LC_ALL: 'C' },
    });
    const line = /^libraries: =?(.*)$/m.exec(r.stdout);
    return line ? line[1]!.split(':').filter(Boolean) : [];
  });
}

async function loadClosure(
  needed: readonly string[],
  dirs: readonly string[],
  like: ElfDynamic,
  provided: Set<string>,
  missing: string[],
): Promise<void> {
  const seen = new Set<string>();
  const queue = [...needed];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const found = await findLibrary(name, dirs, like);
    if (!found) {
      missing.push(name);
      continue;
    }
    for (const s of found.defined) provided.add(s);
    queue.push(...found.needed);
  }
}

async function findLibrary(
  name: string,
  dirs: readonly string[],
  like: ElfDynamic,
): Promise<ElfDynamic | undefined> {
  const candidates = name.includes('/') ? [name] : dirs.map((d) => path.join(d, name));
  for (const file of candidates) {
    const elf = await readElfDynamic(file).catch(() => undefined);
    // A 32-bit copy in a multilib dir is not the one the loader would take.
    if (elf && elf.machine === like.machine && elf.bits === like.bits) return elf;
  }
  return undefined;
}

const nodeCache = new Map<string, Promise<Set<string>>>();

/** What the running node exports, with the libraries it loads (libc, libstdc++, libm, ...). */
function nodeExports(ctx: BuildContext, dirs: readonly string[]): Promise<Set<string>> {
  const exe = process.execPath;
  let pending = nodeCache.get(exe);
  if (!pending) {
    pending = (async () => {
      const node = await readElfDynamic(exe);
      const out = new Set(node?.defined ?? []);
      if (node) {
        const unresolved: string[] = [];
        await loadClosure(node.needed, [...dirs], node, out, unresolved);
        if (unresolved.length > 0) ctx.log.debug(`node's ${unresolved.join(', ')} not found`);
      }
      return out;
    })();
    nodeCache.set(exe, pending);
  }
  return pending;
}

export interface ElfDynamic {
  machine: number;
  bits: 32 | 64;
  /** DT_NEEDED entries. */
  needed: string[];
  /** DT_RUNPATH, else DT_RPATH, split. */
  runpath: string[];
  /** Dynamic symbols this file defines (global or weak). */
  defined: string[];
  /** Dynamic symbols it needs from elsewhere (strong references only: a weak one may stay unset). */
  undefined: string[];
}

const SHT_DYNSYM = 11;
const SHT_DYNAMIC = 6;
const DT_NEEDED = 1;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const STB_LOCAL = 0;
const STB_WEAK = 2;

/**
 * Reads the dynamic symbol table and dynamic section of an ELF file with positional reads (a
 * node binary is ~100 MB; its symbol tables are a few). Returns undefined for a non-ELF file.
 */
export async function readElfDynamic(file: string): Promise<ElfDynamic | undefined> {
  const fh = await open(file, 'r');
  try {
    const read = async (offset: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      if (bytesRead < length) throw new Error(`${file}: truncated ELF`);
      return buf;
    };
    const head = await read(0, 64).catch(() => undefined);
    if (head?.readUInt32BE(0) !== 0x7f454c46) return undefined;
    const bits = head[4] === 2 ? 64 : 32;
    const le = head[5] !== 2;
    const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const word = (b: Buffer, o: number) =>
      bits === 64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(b, o);
    const machine = u16(head, 18);
    const shoff = bits === 64 ? word(head, 0x28) : u32(head, 0x20);
    const shentsize = u16(head, bits === 64 ? 0x3a : 0x2e);
    const shnum = u16(head, bits === 64 ? 0x3c : 0x30);
    const table = await read(shoff, shentsize * shnum);
    const sections = Array.from({ length: shnum }, (_, i) => {
      const o = i * shentsize;
      return bits === 64
        ? {
            type: u32(table, o + 4),
            offset: word(table, o + 24),
            size: word(table, o + 32),
            link: u32(table, o + 40),
            entsize: word(table, o + 56),
          }
        : {
            type: u32(table, o + 4),
            offset: u32(table, o + 16),
            size: u32(table, o + 20),
            link: u32(table, o + 24),
            entsize: u32(table, o + 36),
          };
    });
    const strings = async (index: number) => {
      const s = sections[index];
      return s ? read(s.offset, s.size) : Buffer.alloc(0);
    };
    const cstr = (b: Buffer, at: number) => {
      const end = b.indexOf(0, at);
      return b.toString('utf8', at, end < 0 ? b.length : end);
    };
    const out: ElfDynamic = {
      machine,
      bits,
      needed: [],
      runpath: [],
      defined: [],
      undefined: [],
    };
    const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
    if (dynsym) {
      const syms = await read(dynsym.offset, dynsym.size);
      const names = await strings(dynsym.link);
      const size = dynsym.entsize || (bits === 64 ? 24 : 16);
      for (let o = size; o + size <= syms.length; o += size) {
        const nameAt = u32(syms, o);
        const info = bits === 64 ? syms[o + 4]! : syms[o + 12]!;
        const shndx = u16(syms, bits === 64 ? o + 6 : o + 14);
        const bind = info >> 4;
        if (nameAt === 0 || bind === STB_LOCAL) continue;
        const name = cstr(names, nameAt);
        if (shndx !== 0) out.defined.push(name);
        else if (bind !== STB_WEAK) out.undefined.push(name);
      }
    }
    const dynamic = sections.find((s) => s.type === SHT_DYNAMIC);
    if (dynamic) {
      const entries = await read(dynamic.offset, dynamic.size);
      const names = await strings(dynamic.link);
      const size = bits === 64 ? 16 : 8;
      let rpath: string[] = [];
      for (let o = 0; o + size <= entries.length; o += size) {
        const tag = bits === 64 ? word(entries, o) : u32(entries, o);
        const val = bits === 64 ? word(entries, o + 8) : u32(entries, o + 4);
        if (tag === 0) break;
        if (tag === DT_NEEDED) out.needed.push(cstr(names, val));
        else if (tag === DT_RUNPATH) out.runpath = cstr(names, val).split(':').filter(Boolean);
        else if (tag === DT_RPATH) rpath = cstr(names, val).split(':').filter(Boolean);
      }
      if (out.runpath.length === 0) out.runpath = rpath;
    }
    return out;
  } finally {
    await fh.close();
  }
}
