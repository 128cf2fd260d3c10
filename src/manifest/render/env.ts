import { shellQuote } from '../../util/quote.js';
import { ENV_NAME_PATTERN, ENV_NAME_RULE, type Manifest } from '../schema.js';
import { cflagsOf, joinFlags, libsOf } from './flags.js';
import { unrepresentable } from './reject.js';

/*
 * Names are rejected, values escaped. A name cannot be quoted in `NAME=value`, so anything but a
 * POSIX identifier is refused where it enters the manifest (directive lines, ctx.emit, the
 * manifest reader) and checked again here for manifests built in memory. Metadata keys are
 * mapped onto identifiers by envName. Values are always safe: shellQuote leaves only
 * `[A-Za-z0-9_\-+=.,/:@%^]` bare and puts anything else in single quotes (an embedded quote as
 * `'\''`), inside which a POSIX shell expands nothing and keeps newlines literally.
 */

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
  for (const [k, v] of pairs) {
    if (!ENV_NAME_PATTERN.test(k)) throw unrepresentable('env', 'env name', k, ENV_NAME_RULE);
    if (v.includes('\0'))
      throw unrepresentable('env', `the value of ${k}`, v, 'no shell variable can hold NUL');
  }
  return pairs.map(([k, v]) => `${k}=${shellQuote(v)}`).join('\n') + '\n';
}
