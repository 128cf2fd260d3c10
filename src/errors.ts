/**
 * Every failure Kiln reports is a KilnError: a code a program can switch on, a message that
 * names the file, key, library or tool, and a hint that says what to do next.
 */
export type BuiltinErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_SYNTAX'
  | 'CONFIG_THREW'
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'DIRECTIVE_UNKNOWN'
  | 'DIRECTIVE_INVALID'
  | 'DIRECTIVE_ERROR'
  | 'EXEC_FAILED'
  | 'TOOL_NOT_FOUND'
  | 'OUTDIR_UNWRITABLE'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_NOT_FOUND'
  | 'GLOB_EMPTY'
  | 'COMPILE_FAILED'
  | 'LINK_FAILED'
  | 'PKG_NOT_FOUND'
  | 'PKG_VERSION_MISMATCH'
  | 'PKG_INVALID'
  | 'PKG_CONFLICT'
  | 'PKG_STATIC_UNAVAILABLE'
  | 'CMAKE_NOT_FOUND'
  | 'CMAKE_CONFIGURE_FAILED'
  | 'CMAKE_BUILD_FAILED'
  | 'CMAKE_FILE_API'
  | 'TARGET_INVALID'
  | 'TARGET_UNSUPPORTED'
  | 'INTERRUPTED'
  | 'WORKSPACE_CYCLE'
  | 'WORKSPACE_INVALID'
  | 'ADDON_NOT_FOUND'
  | 'RECIPE_SOURCE_INVALID'
  | 'BUILD_SCRIPT_FAILED'
  | 'BUILD_STALLED'
  | 'PLUGIN_FAILED'
  | 'STEP_NAME_CLASH'
  | 'OUTDIR_CLASH'
  | 'DISK_FULL'
  | 'READ_ONLY'
  | 'PERMISSION_DENIED'
  | 'INTERNAL';

/**
 * A third-party plugin's own code, namespaced by the plugin so it can never collide with Kiln's
 * or another plugin's: `my-plugin/CODE`, `@scope/plugin/CODE` (the upper-case last part is
 * checked by `defineErrorCode`: a type cannot say it for scoped names).
 */
export type PluginErrorCode = `${string}/${string}`;

/** Kiln's own codes, plus any plugin's namespaced ones (see {@link defineErrorCode}). */
export type KilnErrorCode = BuiltinErrorCode | PluginErrorCode;

/** What a plugin declares about one of its codes. */
export interface ErrorCodeInfo {
  /** `usage`: the user's input is wrong (exit code 2); `failure` (default): the build failed (1). */
  kind?: 'usage' | 'failure';
  /** The hint for an error of this code thrown without one of its own. */
  hint?: string;
}

const PLUGIN_CODE = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*\/[A-Z][A-Z0-9_]*$/;

/**
 * Declared codes live on globalThis: a config may load a second copy of Kiln (the source tree
 * while the CLI runs the built one), and both must see what a plugin declared.
 */
const shared = globalThis as { [key: symbol]: Map<string, ErrorCodeInfo> | undefined };
const REGISTRY = Symbol.for('kilnjs.errorCodes');
shared[REGISTRY] ??= new Map();
const registry = shared[REGISTRY];

/**
 * Declares a plugin's error code, so Kiln gives its errors the right exit code and a default
 * hint: `const BAD = defineErrorCode('my-plugin/BAD_INPUT', { kind: 'usage', hint: '...' })`,
 * then `throw new KilnError(BAD, 'my-plugin(options).x: ...')`. The code must be namespaced
 * (`plugin-name/UPPER_CASE`); a malformed one throws at once, where the plugin is loaded.
 */
export function defineErrorCode<C extends PluginErrorCode>(code: C, info: ErrorCodeInfo = {}): C {
  if (!PLUGIN_CODE.test(code)) {
    throw new KilnError(
      'USAGE',
      `defineErrorCode: "${code}" is not a namespaced error code (plugin-name/UPPER_CASE)`,
      {
        hint: 'Name the code after your plugin, e.g. "my-plugin/MISSING_TOOL" or "@scope/plugin/BAD_INPUT"; Kiln\'s own codes have no slash.',
      },
    );
  }
  registry.set(code, { ...info });
  return code;
}

/** Codes that mean "the user's input is wrong" rather than "the build failed" (exit code 2). */
const USAGE_CODES: ReadonlySet<string> = new Set<BuiltinErrorCode>([
  'CONFIG_NOT_FOUND',
  'CONFIG_SYNTAX',
  'CONFIG_THREW',
  'CONFIG_INVALID',
  // A `sources` glob that matches nothing is a mistake in the config, not a failed build.
  'GLOB_EMPTY',
  'USAGE',
  'TARGET_INVALID',
  'STEP_NAME_CLASH',
  'OUTDIR_CLASH',
  'WORKSPACE_CYCLE',
  'WORKSPACE_INVALID',
]);

export interface KilnErrorOptions {
  /** What the user should do about it, one or two sentences. */
  hint?: string | undefined;
  /** Extra detail shown under the message (compiler diagnostics, searched dirs, ...). */
  details?: string | undefined;
  /** The exact command line that reproduces the failure, when a tool failed. */
  command?: string | undefined;
  /** The plugin the failure belongs to (set by `ctx.use` when the plugin's run throws). */
  plugin?: string | undefined;
  cause?: unknown;
}

/** What marks a KilnError, whichever copy of Kiln made it. */
const BRAND = Symbol.for('kilnjs.KilnError');

export class KilnError extends Error {
  override readonly name = 'KilnError';
  readonly code: KilnErrorCode;
  readonly hint: string | undefined;
  readonly details: string | undefined;
  readonly command: string | undefined;
  /** The plugin whose run threw it, when it came out of one (the innermost, for nested plugins). */
  plugin: string | undefined;

  constructor(code: KilnErrorCode, message: string, options: KilnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint ?? registry.get(code)?.hint;
    this.details = options.details;
    this.command = options.command;
    this.plugin = options.plugin;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * `instanceof KilnError` holds for an error made by another copy of Kiln too (`kilnjs/loader`
   * and the CLI's quick path are bundles of their own; a package may resolve two installs).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  /** 2 for usage and configuration errors (and plugin codes declared as `usage`), 1 otherwise. */
  get exitCode(): 1 | 2 {
    return exitCodeOf(this.code);
  }
}

/** The exit code for an error code: 2 for usage errors, 1 for failures. */
export function exitCodeOf(code: string): 1 | 2 {
  return USAGE_CODES.has(code) || registry.get(code)?.kind === 'usage' ? 2 : 1;
}

/**
 * Duck-typed so that an error thrown by a second copy of Kiln (a config importing the source
 * tree while the CLI runs the built one) is still recognised.
 */
export function isKilnError(value: unknown): value is KilnError {
  return (
    value instanceof KilnError ||
    (value instanceof Error &&
      value.name === 'KilnError' &&
      typeof (value as KilnError).code === 'string')
  );
}

const SYSTEM_ERRORS: Record<string, { code: KilnErrorCode; what: string; hint: string }> = {
  ENOSPC: {
    code: 'DISK_FULL',
    what: 'no space left on the device',
    hint: 'Free some disk space (or point --out-dir at another disk) and build again; nothing half-written is taken as built.',
  },
  EDQUOT: {
    code: 'DISK_FULL',
    what: 'the disk quota is exhausted',
    hint: 'Free some space within your quota and build again.',
  },
  EROFS: {
    code: 'READ_ONLY',
    what: 'the file system is read-only',
    hint: 'Build where you can write (--out-dir), or remount the file system read-write.',
  },
  EACCES: {
    code: 'PERMISSION_DENIED',
    what: 'permission denied',
    hint: 'Check the owner and permissions of that path (a build once run with sudo leaves root-owned files).',
  },
  EPERM: {
    code: 'PERMISSION_DENIED',
    what: 'operation not permitted',
    hint: 'Check the owner and permissions of that path.',
  },
};

/**
 * A failure of the machine rather than of Kiln (a full disk, a read-only mount, permissions),
 * as a KilnError naming the path; undefined for anything else.
 */
export function fromSystemError(error: unknown): KilnError | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  const known = e?.code ? SYSTEM_ERRORS[e.code] : undefined;
  if (!known) return undefined;
  const where = e?.path ? `${e.syscall ?? 'writing'} ${e.path}` : (e?.syscall ?? 'writing');
  return new KilnError(known.code, `${known.what} (${where})`, { hint: known.hint, cause: error });
}
