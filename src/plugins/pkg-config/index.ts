/** The pkg-config plugin: find host libraries through `.pc` files. */

export { type PkgConfigIo, runPkgConfig } from './cli-core.js';
export {
  type PkgConfigLibrary,
  type PkgConfigOptions,
  parseVersionOption,
  pkgConfig,
} from './plugin.js';
export { compareVersions } from './version.js';
