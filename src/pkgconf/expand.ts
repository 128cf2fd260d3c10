import { KilnError } from '../errors.js';

/** pkgconf truncates an expanded value at 64 KiB; Kiln refuses such a value instead. */
export const MAX_EXPANDED_LENGTH = 65535;
/** Nested re-expansions allowed before a value is declared hostile (3.0 uses 512). */
export const MAX_EXPANSION_DEPTH = 64;

/** Where `${name}` looks: globals first (define-variable, pc_sysrootdir, ...), then the package. */
export interface VariableScope {
  globals: ReadonlyMap<string, string>;
  locals: ReadonlyMap<string, string>;
  /** The file being read, for error messages. */
  file: string;
  /** Sysroot prefixed to raw values starting with `/` (undefined: none, or FDO rules). */
  sysroot?: string | undefined;
  /** Sysroot whose doubled occurrence is collapsed after expansion. */
  dedupeSysroot?: string | undefined;
}

/**
 * One value as pkgconf 1.8.1 parses it: the raw sysroot prefix, `${}` expansion, then the
 * doubled-sysroot collapse. A package variable referenced from a value is parsed again this
 * way, so a stored `/sub` reads as `<sysroot>/sub` inside another value (measured on the binary).
 */
export function parseValue(raw: string, scope: VariableScope, depth = 0): string {
  const expanded = expand(sysrootPrefixRaw(raw, scope.sysroot), scope, depth);
  return sysrootDedupe(expanded, scope.dedupeSysroot);
}

/**
 * Removes pkgconf's variable quoting: only when the value starts with `'` or `"`, every copy of
 * that quote character is dropped and `\<quote>` yields the quote itself. Quotes protect nothing
 * afterwards (1.8.1 splits `-I${prefix}` with `prefix="/a b"` into two arguments).
 */
export function dequote(value: string): string {
  const q = value[0];
  if (q !== '"' && q !== "'") return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && value[i + 1] === q) {
      out += q;
      i++;
    } else if (c !== q) {
      out += c;
    }
  }
  return out;
}

/**
 * Expands `${name}` references as pkgconf 1.8.1 does: any other `$` is literal (`$$` is not an
 * escape), an unterminated `${abc` still expands `abc`, an undefined name expands to nothing.
 * A global is inserted as written; a package variable's stored value is expanded again, which
 * is where a hostile pair of definitions could recurse forever, so depth and length are capped
 * and overflow raises PKG_INVALID rather than truncating silently.
 */
export function expand(value: string, scope: VariableScope, depth = 0): string {
  if (depth > MAX_EXPANSION_DEPTH) {
    throw new KilnError('PKG_INVALID', `${scope.file}: variable expansion nests too deeply`, {
      hint: 'The .pc file defines variables that refer to each other in a loop; fix or remove the file.',
    });
  }
  if (!value.includes('${')) return checkLength(value, scope);
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value[i]!;
    if (c === '$' && value[i + 1] === '{') {
      let j = i + 2;
      while (j < value.length && value[j] !== '}') j++;
      const name = value.slice(i + 2, j);
      i = j + 1;
      const g = scope.globals.get(name);
      if (g !== undefined) out += g;
      else {
        const l = scope.locals.get(name);
        if (l !== undefined) out += parseValue(l, scope, depth + 1);
      }
      checkLength(out, scope);
      continue;
    }
    out += c;
    i++;
  }
  return checkLength(out, scope);
}

function checkLength(value: string, scope: VariableScope): string {
  if (value.length > MAX_EXPANDED_LENGTH) {
    throw new KilnError(
      'PKG_INVALID',
      `${scope.file}: a variable expands to more than ${MAX_EXPANDED_LENGTH} bytes`,
      {
        hint: 'pkgconf would truncate this value; the .pc file is malformed or hostile. Fix or remove it.',
      },
    );
  }
  return value;
}

/**
 * Debian pkgconf 1.8.1 prefixes every raw value that starts with `/` (and not already with the
 * sysroot) by `PKG_CONFIG_SYSROOT_DIR` before expansion.
 */
export function sysrootPrefixRaw(value: string, sysroot: string | undefined): string {
  if (!sysroot || !value.startsWith('/') || value.startsWith(sysroot)) return value;
  return sysroot + value;
}

/**
 * After expansion, a value in which the sysroot occurs twice (`${pc_sysrootdir}${prefix}` with a
 * prefixed `prefix`) loses the leading copy and its doubled slashes, so both the pkgconf style
 * and the freedesktop style of writing `.pc` files come out with one sysroot.
 */
export function sysrootDedupe(value: string, sysroot: string | undefined): string {
  if (sysroot === undefined || sysroot === '/' || !value.startsWith(sysroot)) return value;
  if (value.indexOf(sysroot, sysroot.length) < 0) return value;
  // An empty (but set) sysroot "occurs" everywhere: pkgconf then just normalises absolute paths.
  const rest = value.slice(sysroot.length);
  return rest.startsWith('/') ? collapseSlashes(rest) : rest;
}

/** Repeated `/` become one (pkgconf's path relocation on POSIX). */
export function collapseSlashes(p: string): string {
  return p.replace(/\/{2,}/g, '/');
}
