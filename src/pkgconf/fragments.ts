/**
 * Cflags/Libs fragments as pkgconf 1.8.1 models them: the argv split, typed versus "special"
 * arguments, the merging of specials, the de-duplicating copy, and rendering.
 */
import { collapseSlashes } from './expand.js';

export interface Fragment {
  /** The flag letter (`I`, `L`, `l`, `D`, `f`, `-`...) or `''` for an untyped ("special") argument. */
  type: string;
  data: string;
  /** Several special arguments joined into one (`-Wl,-a -Wl,-b`): spaces are not escaped on output. */
  merged: boolean;
  /** The separate arguments of a merged fragment (its data joins them with spaces). */
  parts?: string[];
}

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';

/**
 * Splits a value into arguments like pkgconf's argv split (a POSIX-shell subset): whitespace
 * separates, `'…'` is literal, inside `"…"` a backslash escapes only `$`, backtick, `"` and
 * `\`, outside quotes `\x` is `x`. Returns undefined when a quote is unterminated or the value
 * ends in a backslash: pkgconf then drops the whole field.
 */
export function splitArgv(value: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let escaped = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (escaped) {
      escaped = false;
      if (quote === '"' && c !== '$' && c !== '`' && c !== '"' && c !== '\\') cur += '\\';
      cur += c;
      continue;
    }
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') escaped = true;
      else cur += c;
      continue;
    }
    if (isSpace(c)) {
      if (cur.length > 0) out.push(cur);
      cur = '';
    } else if (c === '\\') {
      escaped = true;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else {
      cur += c;
    }
  }
  if (escaped || quote !== undefined) return undefined;
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Arguments pkgconf never types, tested as prefixes (so `-pthreads` counts too). */
const SPECIAL_PREFIXES = [
  '-framework',
  '-isystem',
  '-idirafter',
  '-pthread',
  '-Wa,',
  '-Wl,',
  '-Wp,',
  '-trigraphs',
  '-pedantic',
  '-ansi',
  '-std=',
  '-stdlib=',
  '-include',
  '-nostdinc',
  '-nostdlibinc',
  '-nobuiltininc',
];

const hasSpecialPrefix = (s: string): boolean => SPECIAL_PREFIXES.some((p) => s.startsWith(p));

/** An argument pkgconf keeps untyped. */
export function isSpecial(arg: string): boolean {
  return (
    !arg.startsWith('-') || arg.startsWith('-lib:') || arg.length === 1 || hasSpecialPrefix(arg)
  );
}

/** Data that may absorb a following special argument / may move during de-duplication. */
function isUnmergeable(data: string): boolean {
  return !data.startsWith('-') || hasSpecialPrefix(data);
}

/** Prefixes an absolute path with the sysroot unless it already starts with it; collapses `//`. */
export function munge(source: string, sysroot: string | undefined): string {
  let s = source;
  if (sysroot !== undefined && s.startsWith('/') && !s.startsWith(sysroot)) s = sysroot + s;
  return s.startsWith('/') ? collapseSlashes(s) : s;
}

/**
 * Appends the arguments of one field to a package's fragment list. `sysroot` is the global
 * `pc_sysrootdir` (`/` when no sysroot is set, which changes nothing). A special argument
 * following an untyped fragment joins it (pkgconf merges `-framework A`, `/x.a /y.a`, ...).
 */
export function addFragments(list: Fragment[], args: readonly string[], sysroot: string): void {
  for (const arg of args) {
    if (!isSpecial(arg)) {
      list.push({ type: arg[1]!, data: munge(arg.slice(2), sysroot), merged: false });
      continue;
    }
    const tail = list[list.length - 1];
    if (tail !== undefined && tail.type === '' && isUnmergeable(tail.data)) {
      list.pop();
      const part = munge(arg, sysroot);
      list.push({
        type: '',
        data: `${tail.data} ${part}`,
        merged: true,
        parts: [...(tail.parts ?? [tail.data]), part],
      });
      continue;
    }
    list.push({ type: '', data: arg, merged: false });
  }
}

function shouldMove(list: readonly Fragment[], index: number): boolean {
  if (index === 0) return true;
  const prev = list[index - 1]!;
  const g = list[index]!;
  if (prev.type === 'l' || prev.type === 'L' || prev.type === 'I') return true;
  return g.type === '' || g.type === prev.type;
}

/**
 * The 1.8.1 de-duplicating copy of one fragment into an output list. `-I`, `-L`, `-F` keep
 * their first occurrence; `-l` and other flags move to the end only when the earlier copy
 * follows an `-l`/`-L`/`-I` or a flag of its own type (else both stay); private fragments are
 * appended without checks.
 */
export function copyFragment(list: Fragment[], f: Fragment, isPrivate: boolean): void {
  const t = f.type;
  const mergeBack = t === 'l' ? !isPrivate : !(t === 'I' || t === 'L' || t === 'F');
  const canMerge = !isPrivate && isUnmergeable(f.data);
  if (mergeBack && canMerge) {
    for (let i = list.length - 1; i >= 0; i--) {
      const g = list[i]!;
      if (g.type === t && g.data === f.data) {
        if (shouldMove(list, i)) list.splice(i, 1);
        break;
      }
    }
  } else if (!isPrivate && !mergeBack) {
    if (list.some((g) => g.type === t && g.data === f.data)) return;
  }
  list.push({ ...f });
}

/** The arguments a compiler or linker receives (unquoted, merged fragments split again). */
export function fragmentArgs(list: readonly Fragment[]): string[] {
  return list.flatMap((f) => (f.type === '' ? (f.parts ?? [f.data]) : [`-${f.type}${f.data}`]));
}
