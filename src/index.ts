// The public API of kilnjs. Everything else is internal.
export { defineConfig, definePlugin, type KilnConfig } from './config/define.js';
export { defineOptions, type OptionsParser, parseOptions } from './config/options.js';
export { isKilnError, KilnError, type KilnErrorCode } from './errors.js';
export type { Directive } from './manifest/directive.js';
export { parseDirectiveLine } from './manifest/directive-line.js';
export { readManifestFile } from './manifest/io.js';
export { manifestLocation, type ReadManifestOptions, readManifest } from './manifest/read.js';
export { FORMATS, type ManifestFormat, renderManifest } from './manifest/render/index.js';
export type {
  Artifact,
  Cfg,
  Define,
  LinkInfo,
  LinkKind,
  LinkLib,
  Manifest,
  SearchPath,
} from './manifest/schema.js';
export { MANIFEST_SCHEMA_VERSION } from './manifest/schema.js';
export {
  type AddonLinkable,
  type AddonOptions,
  type AddonResult,
  addon,
  type HeadersMode,
  type NodeApiHeaders,
} from './plugins/addon/index.js';
export { type LoadAddonOptions, loadAddon } from './plugins/addon/loader.js';
export { type CcLibrary, type CcOptions, cc } from './plugins/cc/index.js';
export {
  type CmakeOptions,
  type CmakeProject,
  type CmakeTarget,
  cmake,
} from './plugins/cmake/index.js';
export {
  type PkgConfigLibrary,
  type PkgConfigOptions,
  pkgConfig,
} from './plugins/pkg-config/index.js';
export { type BuildOptions, type BuildResult, build } from './runner/build.js';
export type { BuildEvent, EventSink } from './runner/events.js';
export { runPlanned } from './runner/graph.js';
export { JobPool } from './runner/jobs.js';
export type {
  BuildContext,
  BuildNode,
  ExecOptions,
  ExecResult,
  Linkable,
  Logger,
  NodeKind,
  OptLevel,
  PlannedStep,
  Plugin,
  Profile,
  Progress,
} from './runner/types.js';
export { parseTriple, type Triple } from './target/triple.js';
export {
  buildWorkspace,
  type PackageOutcome,
  type WorkspaceBuildOptions,
  type WorkspaceBuildResult,
} from './workspace/build.js';
