/** The pkg-config plugin: find host libraries through `.pc` files. */

export { compareVersions } from '../../pkgconf/version.js';
export {
  type PkgConfigLibrary,
  type PkgConfigOptions,
  parseVersionOption,
  pkgConfig,
} from './plugin.js';
