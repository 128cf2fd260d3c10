/**
 * What a step links against: a library result, the plugin that produces one, or a manifest. One
 * guard and one resolver shared by cc, addon, cmake and the recipes, and offered to plugin
 * authors, so every `link`/`deps` option accepts the same things and resolves them the same way.
 */
import { type LinkInfo, type Manifest, pickLinkInfo } from '../manifest/schema.js';
import type { BuildContext, Linkable, Plugin } from './types.js';

/** A plugin (anything with a `run` function), as opposed to a result. */
export function isLinkablePlugin(value: unknown): value is Plugin<LinkInfo | undefined> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { run?: unknown }).run === 'function'
  );
}

/** True for a library result, a manifest (both have `libs`) or a plugin. */
export function isLinkable(value: unknown): value is Linkable {
  return (
    isLinkablePlugin(value) ||
    (typeof value === 'object' &&
      value !== null &&
      Array.isArray((value as { libs?: unknown }).libs))
  );
}

function isManifest(value: LinkInfo | Manifest): value is Manifest {
  return 'schemaVersion' in value && 'package' in value;
}

/**
 * The link info behind `item`: a plugin runs through `ctx.use` (once per build, its failure
 * attributed to it), a manifest gives its link fields, a result is returned as it is. An optional
 * plugin that found nothing (`pkgConfig(name, { optional: true })`) gives undefined.
 */
export function resolveLinkable(ctx: BuildContext, item: Linkable): Promise<LinkInfo | undefined> {
  if (isLinkablePlugin(item)) return ctx.use(item);
  return Promise.resolve(isManifest(item) ? pickLinkInfo(item) : item);
}
