import { shellQuote } from '../../util/quote.js';
import type { Manifest } from '../schema.js';
import { cflagsOf, joinFlags, libsOf } from './flags.js';

/** Upper-case, `_` for anything else: `@acme/zlib-sys` → `ACME_ZLIB_SYS`. */
export function envName(value: string): string {
  return value
    .replace(/^@/, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/**
 * `NAME=value` lines (POSIX-quoted) for shells, `.env` loaders and CI: the flags, the env the
 * build exported, and metadata as `KILN_META_<KEY>` (Cargo's DEP_<LINKS>_<KEY> idea).
 */
export function renderEnv(m: Manifest): string {
  const pairs: [string, string][] = [
    ['KILN_TARGET', m.target],
    ['KILN_PROFILE', m.profile],
    ['KILN_CFLAGS', joinFlags(cflagsOf(m))],
    ['KILN_LIBS', joinFlags(libsOf(m))],
    ['KILN_INCLUDE_DIRS', m.includes.join(':')],
    [
      'KILN_LIB_DIRS',
      m.searchPaths
        .filter((s) => s.kind === 'native')
        .map((s) => s.path)
        .join(':'),
    ],
    ...Object.entries(m.env),
    ...Object.entries(m.metadata).map(([k, v]): [string, string] => [`KILN_META_${envName(k)}`, v]),
  ];
  return pairs.map(([k, v]) => `${k}=${shellQuote(v)}`).join('\n') + '\n';
}
