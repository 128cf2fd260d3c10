// The public API of kilnjs. Everything else is internal.
export { defineConfig, definePlugin, type KilnConfig } from './config/define.js';
export {
  defineOptions,
  linkableSchema,
  type OptionsParser,
  parseOptions,
} from './config/options.js';
export {
  type BuiltinErrorCode,
  defineErrorCode,
  type ErrorCodeInfo,
  isKilnError,
  KilnError,
  type KilnErrorCode,
  type PluginErrorCode,
} from './errors.js';
// One bundle of its own (see scripts/build.mjs): `kilnjs` and `kilnjs/loader` share it.
export { type LoadAddonOptions, loadAddon } from './loader.js';
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
export type {
  AddonOptions,
  AddonResult,
  HeadersMode,
  NodeApiHeaders,
} from './plugins/addon/index.js';
export type { CcLibrary, CcOptions } from './plugins/cc/index.js';
export type { CmakeOptions, CmakeProject, CmakeTarget } from './plugins/cmake/index.js';
export type { PkgConfigLibrary, PkgConfigOptions } from './plugins/pkg-config/index.js';
// Plugin factories and builds load their code when they run (see public.ts).
export { addon, build, buildWorkspace, cc, cmake, pkgConfig } from './public.js';
export type { BuildOptions, BuildResult } from './runner/build.js';
export type { BuildEvent, EventSink } from './runner/events.js';
export { runPlanned } from './runner/graph.js';
export { JobPool } from './runner/jobs.js';
export { isLinkable, resolveLinkable } from './runner/linkable.js';
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
export type {
  PackageOutcome,
  WorkspaceBuildOptions,
  WorkspaceBuildResult,
} from './workspace/build.js';
