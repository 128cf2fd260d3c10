import type { BuildContext, Plugin } from '../runner/types.js';

/** What a `build.config.ts` exports (through `defineConfig`). */
export interface KilnConfig {
  /** Plugins run in order before `build`; a later step may link an earlier one's result. */
  plugins?: Plugin[];
  /** Imperative build script, run after `plugins`; `ctx.use(plugin)` runs a plugin and returns its typed result. */
  build?: (ctx: BuildContext) => Promise<void> | void;
}

/** Identity helper that gives a config file its types. */
export function defineConfig(config: KilnConfig): KilnConfig {
  return config;
}

/** Identity helper that gives a plugin object its types: `{ name, run(ctx) }`. */
export function definePlugin<R>(plugin: Plugin<R>): Plugin<R> {
  return plugin;
}
