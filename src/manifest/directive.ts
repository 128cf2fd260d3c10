import type { Cfg, Define, LinkKind, SearchPath } from './schema.js';

/**
 * One instruction a build step gives Kiln, from the typed API (`ctx.emit`) or from a
 * `kiln:KEY=VALUE` line printed by a program run through `ctx.exec`.
 */
export type Directive =
  | {
      type: 'link-lib';
      name: string;
      kind: LinkKind;
      path?: string | undefined;
      wholeArchive?: boolean | undefined;
    }
  | { type: 'link-search'; kind: SearchPath['kind']; path: string }
  | { type: 'include'; path: string }
  | ({ type: 'define' } & Define)
  | ({ type: 'cfg' } & Cfg)
  | { type: 'cflag'; flag: string }
  | { type: 'link-arg'; flag: string }
  | { type: 'rpath'; path: string }
  | { type: 'env'; name: string; value: string }
  | { type: 'rerun-if-changed'; path: string }
  | { type: 'rerun-if-env-changed'; name: string }
  | { type: 'metadata'; key: string; value: string }
  | {
      type: 'warning';
      message: string;
      /** The step that reported it (`cc:core`), for the per-step count. */
      step?: string | undefined;
      /** How many sources printed this same compiler warning. */
      count?: number | undefined;
      /** The message with the compiler's colours, for a terminal (the manifest keeps `message`). */
      color?: string | undefined;
    }
  | { type: 'error'; message: string };

export type DirectiveType = Directive['type'];
