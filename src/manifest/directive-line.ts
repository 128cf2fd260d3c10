import { KilnError } from '../errors.js';
import type { Directive } from './directive.js';
import { envDirectiveProblem, type LinkKind } from './schema.js';

/** Prefix of a directive line printed by a program run through the build context. */
export const DIRECTIVE_PREFIX = 'kiln:';

export const DIRECTIVE_KEYS = [
  'link-lib',
  'link-search',
  'include',
  'define',
  'cfg',
  'cflag',
  'link-arg',
  'rpath',
  'env',
  'rerun-if-changed',
  'rerun-if-env-changed',
  'metadata',
  'warning',
  'error',
] as const;

/**
 * Parses one `kiln:KEY=VALUE` line, the same set of directives as the typed `ctx.emit`.
 * Returns undefined for lines that are not directives (anything not starting with `kiln:`).
 *
 * Syntax, modelled on Cargo's `cargo::` lines:
 *   kiln:link-lib=[static|dylib|framework[:+whole-archive]=]NAME
 *   kiln:link-search=[native|framework=]PATH
 *   kiln:define=NAME[=VALUE]        kiln:cfg=NAME[="VALUE"]
 *   kiln:env=VAR=VALUE              kiln:metadata=KEY=VALUE
 *   kiln:include=PATH  kiln:rpath=PATH  kiln:cflag=FLAG  kiln:link-arg=FLAG
 *   kiln:rerun-if-changed=PATH      kiln:rerun-if-env-changed=VAR
 *   kiln:warning=MESSAGE            kiln:error=MESSAGE
 */
export function parseDirectiveLine(line: string, source = 'program output'): Directive | undefined {
  const text = line.replace(/\r$/, '');
  if (!text.startsWith(DIRECTIVE_PREFIX)) return undefined;
  const body = text.slice(DIRECTIVE_PREFIX.length);
  const eq = body.indexOf('=');
  const key = eq < 0 ? body : body.slice(0, eq);
  const value = eq < 0 ? undefined : body.slice(eq + 1);
  if (!(DIRECTIVE_KEYS as readonly string[]).includes(key)) {
    throw new KilnError('DIRECTIVE_UNKNOWN', `Unknown directive "${key}" in ${source}: ${text}`, {
      hint: `Known directives: ${DIRECTIVE_KEYS.map((k) => `kiln:${k}=`).join(', ')}. Lines that are not directives must not start with "kiln:".`,
    });
  }
  const bad = (expected: string): never => {
    throw new KilnError('DIRECTIVE_INVALID', `Malformed directive in ${source}: ${text}`, {
      hint: `Expected kiln:${key}=${expected}.`,
    });
  };
  if (value === undefined || value === '') return bad(exampleFor(key));
  switch (key as (typeof DIRECTIVE_KEYS)[number]) {
    case 'link-lib':
      return parseLinkLib(value, bad);
    case 'link-search': {
      const [kind, p] = splitKind(value, ['native', 'framework'], 'native');
      if (!p) return bad(exampleFor(key));
      return { type: 'link-search', kind: kind as 'native' | 'framework', path: p };
    }
    case 'include':
      return { type: 'include', path: value };
    case 'define':
    case 'cfg': {
      const [name, val] = splitOnce(value);
      if (!name) return bad(exampleFor(key));
      const type = key as 'define' | 'cfg';
      const unquoted = val !== undefined && type === 'cfg' ? val.replace(/^"(.*)"$/, '$1') : val;
      return unquoted === undefined ? { type, name } : { type, name, value: unquoted };
    }
    case 'cflag':
      return { type: 'cflag', flag: value };
    case 'link-arg':
      return { type: 'link-arg', flag: value };
    case 'rpath':
      return { type: 'rpath', path: value };
    case 'env': {
      const [name, val] = splitOnce(value);
      if (!name || val === undefined) return bad(exampleFor(key));
      const problem = envDirectiveProblem(name, val, `${source}: ${text}`);
      if (problem) throw problem;
      return { type: 'env', name, value: val };
    }
    case 'metadata': {
      const [name, val] = splitOnce(value);
      if (!name || val === undefined) return bad(exampleFor(key));
      return { type: 'metadata', key: name, value: val };
    }
    case 'rerun-if-changed':
      return { type: 'rerun-if-changed', path: value };
    case 'rerun-if-env-changed':
      return { type: 'rerun-if-env-changed', name: value };
    case 'warning':
      return { type: 'warning', message: value };
    case 'error':
      return { type: 'error', message: value };
  }
}

function parseLinkLib(value: string, bad: (expected: string) => never): Directive {
  const eq = value.indexOf('=');
  let kindPart = 'dylib';
  let name = value;
  if (eq >= 0) {
    kindPart = value.slice(0, eq);
    name = value.slice(eq + 1);
  }
  const [kind, ...modifiers] = kindPart.split(':');
  if (!['static', 'dylib', 'framework'].includes(kind ?? '') || !name) {
    return bad(exampleFor('link-lib'));
  }
  let wholeArchive = false;
  for (const mod of modifiers.flatMap((m) => m.split(','))) {
    if (mod === '+whole-archive' && kind === 'static') wholeArchive = true;
    else if (mod !== '-whole-archive') return bad(exampleFor('link-lib'));
  }
  return {
    type: 'link-lib',
    name,
    kind: kind as LinkKind,
    ...(wholeArchive ? { wholeArchive: true } : {}),
  };
}

function splitKind(value: string, kinds: string[], fallback: string): [string, string] {
  const eq = value.indexOf('=');
  if (eq > 0 && kinds.includes(value.slice(0, eq)))
    return [value.slice(0, eq), value.slice(eq + 1)];
  return [fallback, value];
}

function splitOnce(value: string): [string, string | undefined] {
  const eq = value.indexOf('=');
  return eq < 0 ? [value, undefined] : [value.slice(0, eq), value.slice(eq + 1)];
}

function exampleFor(key: string): string {
  switch (key) {
    case 'link-lib':
      return '[static|dylib|framework[:+whole-archive]=]NAME';
    case 'link-search':
      return '[native|framework=]PATH';
    case 'define':
    case 'cfg':
      return 'NAME[=VALUE]';
    case 'env':
      return 'VAR=VALUE';
    case 'metadata':
      return 'KEY=VALUE';
    case 'rerun-if-env-changed':
      return 'VAR';
    case 'warning':
    case 'error':
      return 'MESSAGE';
    default:
      return 'PATH';
  }
}
