/**
 * The compile engine: compile units (commands, depfiles, diagnostics, per-object state),
 * archives, shared-library and module links, and compile_commands.json. The `cc` and `addon`
 * plugins parse their options and drive it only through what this module exports.
 */
export { defineFlags, resolveIncludes } from './command.js';
export { compileCommandsFile, mergeCompileCommands } from './compile-commands.js';
export { linkInfoArgs, linkTempPath, linkThroughTemp, msvcLinkCommand } from './link.js';
export { expandSources, perFileFlagMap, relPath, type Source } from './sources.js';
export { buildForTarget, type TargetBuildInput, type TargetBuildResult } from './target.js';
