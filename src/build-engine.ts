/**
 * What a build runs beyond the config (the runner and the plugins' build code), behind one
 * module: the public API's stand-ins (`public.ts`) and the `kiln build` command load it with one
 * `import()`. Bundled, a build whose config runs then loads a few files instead of one chunk for
 * each combination of lazily loaded modules (each ES module costs Node ~1 ms to resolve, read
 * and link).
 */
export { buildCommand } from './cli/build.js';
export { addon } from './plugins/addon/index.js';
export { cc } from './plugins/cc/index.js';
export { cmake } from './plugins/cmake/index.js';
export { pkgConfig } from './plugins/pkg-config/plugin.js';
export { build } from './runner/build.js';
export { buildWorkspace } from './workspace/build.js';
