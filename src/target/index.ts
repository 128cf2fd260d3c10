/**
 * Kiln's target model: triples, their Node names, Apple arch/deployment flags, universal targets,
 * Linux cross tools, qemu runners, CMake system names and prebuild naming.
 */
export {
  appleCompileFlags,
  appleFlags,
  DEFAULT_DEPLOYMENT_TARGET,
  deploymentTarget,
  type EnvSource,
  frameworkFlags,
  frameworkSearchFlags,
} from './apple.js';
export { type ElfInfo, elfMachine, machoArchs } from './binary.js';
export { clangTarget } from './clang.js';
export { cmakeOsxArchitectures, cmakeSystemName, cmakeSystemProcessor } from './cmake.js';
export {
  type CrossToolNames,
  crossToolNames,
  type QemuRunner,
  qemuFor,
  type ToolCandidate,
} from './cross.js';
export {
  abiTag,
  fromNode,
  type NodeArch,
  type NodeLibc,
  type NodePlatform,
  type NodeTarget,
  napiTag,
  type PrebuildFileOptions,
  prebuildFileName,
  prebuildName,
  prebuildPath,
  toNode,
} from './node.js';
export { EXAMPLE_TRIPLES } from './tables.js';
export {
  appleArchName,
  gnuCrossPrefix,
  hostTriple,
  isApple,
  isCross,
  isUniversal,
  parseTriple,
  type Triple,
  toTriple,
  universalParts,
} from './triple.js';
