import { KilnError } from '../../errors.js';
import type { Manifest } from '../schema.js';
import { renderCmake } from './cmake.js';
import { renderEnv } from './env.js';
import { renderFlags } from './flags.js';
import { renderGyp } from './gyp.js';
import { renderPc } from './pc.js';

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
