/**
 * pkgconf's version comparison (an rpmvercmp variant) and dependency lists
 * (`Requires`, `Conflicts`, `Provides`) with their constraint operators.
 */

/** `any` is what pkgconf makes of an unknown operator run such as `==` or `>>`. */
export type VersionOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'any';

export interface Dependency {
  name: string;
  op: VersionOp | undefined;
  version: string | undefined;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlnum = (c: string): boolean => isDigit(c) || isAlpha(c);

/**
 * Compares two version strings like pkgconf 1.8.1: equal ignoring ASCII case is equal; otherwise
 * alternate numeric/alphabetic segments, separators ignored, `~` sorts before everything,
 * numbers compare by value (leading zeros dropped), letters case-sensitively, and the side with
 * something left over is greater. Returns -1, 0 or 1.
 */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    return a === undefined ? -1 : 1;
  }
  if (a.toLowerCase() === b.toLowerCase()) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]!) && a[i] !== '~') i++;
    while (j < b.length && !isAlnum(b[j]!) && b[j] !== '~') j++;
    const ta = a[i] === '~';
    const tb = b[j] === '~';
    if (ta || tb) {
      if (!ta) return 1;
      if (!tb) return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]!);
    const cls = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (i < a.length && cls(a[i]!)) i++;
    while (j < b.length && cls(b[j]!)) j++;
    let sa = a.slice(si, i);
    let sb = b.slice(sj, j);
    if (sb.length === 0) return numeric ? 1 : -1;
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** True when `version` satisfies `op target` (a missing op or `any` always does). */
export function satisfies(
  version: string | undefined,
  op: VersionOp | undefined,
  target: string | undefined,
): boolean {
  if (op === undefined || op === 'any') return true;
  const c = compareVersions(version, target);
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

const OPS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);
const isOpChar = (c: string | undefined): boolean =>
  c === '<' || c === '>' || c === '!' || c === '=';
const isSep = (c: string | undefined): boolean =>
  c === ',' || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** Parses an operator run; unknown runs mean "any version" as in pkgconf. */
export function parseOp(s: string): VersionOp {
  return OPS.has(s) ? (s as VersionOp) : 'any';
}

/**
 * Splits a `Requires`-style field as pkgconf 1.8.1 does: `,` and whitespace separate entries;
 * a name is a run of non-separators (so `foo>=1` is a name); an operator after a name takes a
 * version. Reproduced 1.8.1 bug: a version glued to its operator loses its first character
 * (`foo >=1.2` means `foo >= .2`); fixed upstream in 2.3.0. An operator with no version drops
 * the entry.
 */
export function parseDependencyList(field: string): Dependency[] {
  const s = field + ' ';
  const out: Dependency[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isSep(s[i])) i++;
    if (i >= s.length) break;
    const ns = i;
    while (i < s.length && !isSep(s[i])) i++;
    const name = s.slice(ns, i);
    let k = i;
    while (k < s.length && (s[k] === ' ' || s[k] === '\t')) k++;
    if (!isOpChar(s[k])) {
      out.push({ name, op: undefined, version: undefined });
      continue;
    }
    const os = k;
    while (k < s.length && isOpChar(s[k])) k++;
    const op = parseOp(s.slice(os, k));
    const glued = k < s.length && !isSep(s[k]);
    while (k < s.length && (s[k] === ' ' || s[k] === '\t')) k++;
    const vs = glued ? k + 1 : k;
    let ve = vs;
    while (ve < s.length && !isSep(s[ve])) ve++;
    i = Math.max(ve, k);
    const version = s.slice(vs, ve);
    if (version.length === 0) {
      // `foo >=` with nothing after it (or `foo >=1`, whose only character is eaten): dropped.
      continue;
    }
    out.push({ name, op, version });
  }
  return out;
}

/** `name`, or `name OP version` as `--print-requires` shows it (`(any)` for an unknown op). */
export function formatDependency(d: Dependency): string {
  if (d.op === undefined) return d.name;
  return `${d.name} ${d.op === 'any' ? '(any)' : d.op} ${d.version ?? ''}`;
}

/**
 * Whether a versioned `Provides: name OP pv` entry satisfies a request `name ROP rv`. pkgconf
 * 1.8.1 decides by a fixed table (measured on the binary); an unversioned entry never matches.
 */
export function providesSatisfies(provided: Dependency, request: Dependency): boolean {
  if (provided.op === undefined || provided.op === 'any' || provided.version === undefined)
    return false;
  if (request.op === undefined || request.op === 'any') return true;
  const c = compareVersions(provided.version, request.version);
  const cells = PROVIDES_TABLE[provided.op]![request.op]!;
  // Column: the requested version below / equal to / above the provided one.
  return cells[c > 0 ? 0 : c === 0 ? 1 : 2] === '1';
}

// Measured on pkgconf 1.8.1 (identical in 3.0): provider op → request op → three cells.
const PROVIDES_TABLE: Record<string, Record<string, string>> = {
  '=': { '=': '010', '!=': '101', '<': '001', '<=': '011', '>': '100', '>=': '110' },
  '!=': { '=': '101', '!=': '010', '<': '110', '<=': '100', '>': '011', '>=': '001' },
  '<': { '=': '100', '!=': '011', '<': '100', '<=': '100', '>': '100', '>=': '100' },
  '<=': { '=': '110', '!=': '001', '<': '110', '<=': '110', '>': '100', '>=': '110' },
  '>': { '=': '001', '!=': '110', '<': '001', '<=': '001', '>': '001', '>=': '001' },
  '>=': { '=': '011', '!=': '100', '<': '001', '<=': '011', '>': '011', '>=': '011' },
};
