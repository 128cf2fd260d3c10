/**
 * `kiln pkg-config ...`: a drop-in pkg-config answered by Kiln's own `.pc` resolver. The main
 * CLI hands the raw arguments over unparsed, because pkg-config's argv grammar is its own.
 */
export { type PkgConfigIo, runPkgConfig } from './run.js';
