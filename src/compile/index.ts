/**
 * The compile engine: compile units (commands, depfiles, diagnostics, per-object state),
 * archives, shared-library and module links, and compile_commands.json. The `cc` and `addon`
 * plugins parse their options and drive it only through what this module exports: they plan a
 * target (`planTarget`, `planModuleLink`) and run the planned work as build-graph nodes.
 */
export { resolveIncludes } from './command.js';
export { compileCommandsFile, mergeCompileCommands, recordCompiles } from './compile-commands.js';
export { defineFlags } from './defines.js';
export { linkInfoArgs, linkTempPath, linkThroughTemp, msvcLinkCommand } from './link.js';
export { type ModuleLinkInput, planModuleLink } from './module.js';
export { expandSources, perFileFlagMap, relPath, type Source } from './sources.js';
export {
  linkedFiles,
  type PlannedWork,
  planTarget,
  type TargetBuildInput,
  type TargetBuildResult,
  type TargetPlan,
} from './target.js';
