import { KilnError } from '../../errors.js';
import type { Manifest } from '../schema.js';
import { renderCmake } from './cmake.js';
import { renderEnv } from './env.js';
import { renderFlags } from './flags.js';
import { renderGyp } from './gyp.js';
import { renderPc } from './pc.js';

/*
 * Every format must be safe for any value a build script, ctx.emit or a plugin put in the
 * manifest: reading the output back (sourcing it, pkg-config, include() in CMake, gyp + make,
 * splitting shell words) gives exactly the value and never runs or defines anything else.
 *
 * Rejected, where the value enters the manifest (DIRECTIVE_INVALID, or MANIFEST_INVALID when a
 * manifest file is read): env names that are not POSIX identifiers, and NUL in env values. A
 * name cannot be quoted in `NAME=value`, so it is validated, never escaped.
 *
 * Escaped, in each renderer: every value, as far as the consumer's syntax allows —
 *   env    single quotes (`'\''` for a quote); newlines stay literal inside them.
 *   flags  backslash-escaped shell words; a flag with a newline is single-quoted.
 *   pc     pkg-config escaping in Cflags/Libs, `\#` for comments, `${kiln_dollar}` for `$`.
 *   cmake  bracket arguments with a long enough fence, `\;` so a `;` stays in its element.
 *   gyp    JSON strings; words escaped for gyp's Makefile writer, make and sh.
 *
 * Rejected at render time (MANIFEST_INVALID naming the value, format and reason), where the
 * consumer's syntax has no way to spell the value and altering it would build something else:
 *   pc     a newline or CR anywhere (fields are single lines); in Name, Version and metadata
 *          variables also blanks at the edges, a leading quote, a backslash before `#` or at
 *          the end, and blanks inside the version.
 *   cmake  a list element ending in a backslash or with unequal numbers of `[` and `]`.
 *   gyp    a newline or CR in a flag or path.
 * The json and env formats take any value.
 */

export const FORMATS = ['json', 'flags', 'gyp', 'cmake', 'pc', 'env'] as const;
export type ManifestFormat = (typeof FORMATS)[number];

export interface RenderOptions {
  /** Only compile flags (flags and gyp formats). */
  cflags?: boolean;
  /** Only link flags (flags and gyp formats). */
  libs?: boolean;
}

/** Renders a manifest for a consumer: node-gyp, CMake, pkg-config, a shell, a compiler line. */
export function renderManifest(
  m: Manifest,
  format: ManifestFormat,
  options: RenderOptions = {},
): string {
  const only = options.cflags || options.libs;
  const which = { cflags: !only || !!options.cflags, libs: !only || !!options.libs };
  switch (format) {
    case 'json':
      return `${JSON.stringify(m, null, 2)}\n`;
    case 'flags':
      return renderFlags(m, which);
    case 'gyp':
      return renderGyp(m, only ? which : undefined);
    case 'cmake':
      return renderCmake(m);
    case 'pc':
      return renderPc(m);
    case 'env':
      return renderEnv(m);
    default:
      throw new KilnError('USAGE', `Unknown format "${String(format)}"`, {
        hint: `Use one of: ${FORMATS.join(', ')}.`,
      });
  }
}
