/**
 * Compiler and linker arguments (from the resolver or from a pkg-config binary) turned into
 * typed link info, the way pkg-config-rs reads `--cflags --libs` output, plus the static-library
 * lookup that refuses to fall back to a shared library silently.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import {
  type Define,
  type LinkInfo,
  type LinkLib,
  pickLinkInfo,
  type SearchPath,
} from '../../manifest/schema.js';

/** What a found pkg-config library gives the build: link info plus what pkg-config knows. */
export interface PkgConfigLibrary extends LinkInfo {
  /** The `.pc` module name asked for (`zlib`, `glib-2.0`). */
  name: string;
  /** Its `Version:` field. */
  version: string;
  /** macOS frameworks (`-framework X`), also listed in `libs` with kind `framework`. */
  frameworks: string[];
  /** Compiler flags that are neither `-I` nor `-D` (`-pthread`, `-isystem dir`, ...). */
  otherCflags: string[];
  /** Linker flags that are not `-L`/`-l`/`-framework` (`-pthread`, `-Wl,...`). */
  otherLdflags: string[];
  /** The `.pc` file's variables, expanded (`prefix`, `libdir`, `pcfiledir`, ...). */
  variables: Record<string, string>;
}

// Flags whose value is the next argument when written apart (`-isystem /x`).
const TWO_WORD_CFLAGS = new Set(['-isystem', '-idirafter', '-iquote', '-include', '-I', '-D']);

export function classifyCflags(
  args: readonly string[],
): Pick<LinkInfo, 'includes' | 'defines' | 'cflags'> {
  const includes: string[] = [];
  const defines: Define[] = [];
  const cflags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-I' || a === '-D') {
      const v = args[++i];
      if (v === undefined) break;
      if (a === '-I') includes.push(v);
      else defines.push(parseDefine(v));
    } else if (a.startsWith('-I')) {
      includes.push(a.slice(2));
    } else if (a.startsWith('-D')) {
      defines.push(parseDefine(a.slice(2)));
    } else if (TWO_WORD_CFLAGS.has(a) && i + 1 < args.length) {
      // Kept as flags: -isystem/-idirafter mean more than a plain include dir.
      cflags.push(a, args[++i]!);
    } else {
      cflags.push(a);
    }
  }
  return { includes, defines, cflags };
}

function parseDefine(s: string): Define {
  const eq = s.indexOf('=');
  return eq < 0 ? { name: s } : { name: s.slice(0, eq), value: s.slice(eq + 1) };
}

export interface ClassifiedLibs {
  libs: LinkLib[];
  searchPaths: SearchPath[];
  ldflags: string[];
  rpaths: string[];
  frameworks: string[];
}

const LIB_FILE = /^lib(.+?)\.(a|so(\.[\d.]+)?|dylib|[\d.]+\.dylib)$/;

export function classifyLibs(args: readonly string[]): ClassifiedLibs {
  const out: ClassifiedLibs = {
    libs: [],
    searchPaths: [],
    ldflags: [],
    rpaths: [],
    frameworks: [],
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-framework' && i + 1 < args.length) {
      const fw = args[++i]!;
      out.frameworks.push(fw);
      out.libs.push({ name: fw, kind: 'framework' });
    } else if (a.startsWith('-L') && a.length > 2) {
      out.searchPaths.push({ kind: 'native', path: a.slice(2) });
    } else if (a.startsWith('-F') && a.length > 2) {
      out.searchPaths.push({ kind: 'framework', path: a.slice(2) });
    } else if (a.startsWith('-l:') || a === '-l') {
      out.ldflags.push(a);
    } else if (a.startsWith('-l')) {
      out.libs.push({ name: a.slice(2), kind: 'dylib' });
    } else if (a.startsWith('-Wl,-rpath,') || a.startsWith('-Wl,-rpath=')) {
      out.rpaths.push(...a.slice(11).split(','));
    } else if (path.isAbsolute(a) && LIB_FILE.test(path.basename(a))) {
      // A library given by path (`/x/libfoo.a`): link that exact file.
      const m = LIB_FILE.exec(path.basename(a))!;
      out.libs.push({ name: m[1]!, kind: m[2] === 'a' ? 'static' : 'dylib', path: a });
    } else {
      out.ldflags.push(a);
    }
  }
  return out;
}

/**
 * Makes every `-l` static: the `lib<name>.a` found first in the `-L` dirs, then the system lib
 * dirs. A name with only a shared library is an error (PKG_STATIC_UNAVAILABLE), never a silent
 * dynamic link; a name with neither stays static without a path, so the linker fails loudly.
 */
export function makeStatic(
  classified: ClassifiedLibs,
  systemLibDirs: readonly string[],
  library: string,
  listDir: (dir: string) => readonly string[] = safeList,
): string[] {
  const warnings: string[] = [];
  const dirs = [
    ...classified.searchPaths.filter((s) => s.kind === 'native').map((s) => s.path),
    ...systemLibDirs,
  ];
  classified.libs = classified.libs.map((lib) => {
    if (lib.kind !== 'dylib' || lib.path !== undefined) return lib;
    let shared: string | undefined;
    for (const dir of dirs) {
      const files = listDir(dir);
      if (files.includes(`lib${lib.name}.a`))
        return { name: lib.name, kind: 'static', path: path.join(dir, `lib${lib.name}.a`) };
      const so = files.find(
        (f) =>
          f === `lib${lib.name}.so` ||
          f === `lib${lib.name}.dylib` ||
          f.startsWith(`lib${lib.name}.so.`),
      );
      if (so && shared === undefined) shared = path.join(dir, so);
    }
    if (shared !== undefined) {
      throw new KilnError(
        'PKG_STATIC_UNAVAILABLE',
        `static linking of ${library} was requested, but lib${lib.name}.a was not found; only the shared ${shared} exists`,
        {
          details: `Searched for lib${lib.name}.a in:\n${dirs.map((d) => `  ${d}`).join('\n')}`,
          hint:
            `Install the static library (the -dev/-devel package of ${library} usually ships lib${lib.name}.a, ` +
            `some distributions split it into a -static package), or link dynamically: drop \`static: true\` ` +
            `or unset ${'<LIB>_STATIC'}/PKG_CONFIG_ALL_STATIC.`,
        },
      );
    }
    warnings.push(
      `lib${lib.name}.a not found in ${dirs.join(', ')}; leaving -l${lib.name} to the linker as static`,
    );
    return { name: lib.name, kind: 'static' };
  });
  return warnings;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    // A -L dir that does not exist holds no library; the linker would ignore it too.
    return [];
  }
}

export function assembleLibrary(
  name: string,
  version: string,
  cflagArgs: readonly string[],
  libs: ClassifiedLibs,
  variables: Record<string, string>,
): PkgConfigLibrary {
  const c = classifyCflags(cflagArgs);
  return {
    name,
    version,
    libs: libs.libs,
    searchPaths: libs.searchPaths,
    includes: c.includes,
    defines: c.defines,
    cflags: c.cflags,
    ldflags: libs.ldflags,
    rpaths: libs.rpaths,
    frameworks: libs.frameworks,
    otherCflags: [...c.cflags],
    otherLdflags: [...libs.ldflags],
    variables,
  };
}

/** Only the LinkInfo fields (what goes into the manifest). */
export function toLinkInfo(lib: PkgConfigLibrary): LinkInfo {
  return pickLinkInfo(lib);
}
