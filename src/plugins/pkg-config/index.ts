/** The pkg-config plugin: find host libraries through `.pc` files. */
export { type PkgConfigLibrary, type PkgConfigOptions, parseVersionOption, pkgConfig } from './plugin.js';
export { type PkgConfigIo, runPkgConfig } from './cli-core.js';
export { compareVersions } from './version.js';
