import { z } from 'zod';
import { KilnError } from '../errors.js';

/** Bumped whenever a field changes meaning; readers refuse manifests from the future. */
export const MANIFEST_SCHEMA_VERSION = 1;

export const linkKindSchema = z.enum(['static', 'dylib', 'framework']);
export type LinkKind = z.infer<typeof linkKindSchema>;

export const linkLibSchema = z.object({
  /** Library name as the linker sees it: `z` for `-lz`, `CoreFoundation` for a framework. */
  name: z.string().min(1),
  kind: linkKindSchema,
  /** Full path of the file, when known (archives and shared objects Kiln built or found). */
  path: z.string().optional(),
  /** Link every object of a static archive (`--whole-archive` / `-force_load`). */
  wholeArchive: z.boolean().optional(),
});
export type LinkLib = z.infer<typeof linkLibSchema>;

export const searchPathSchema = z.object({
  kind: z.enum(['native', 'framework']),
  path: z.string().min(1),
});
export type SearchPath = z.infer<typeof searchPathSchema>;

export const defineSchema = z.object({ name: z.string().min(1), value: z.string().optional() });
export type Define = z.infer<typeof defineSchema>;

export const cfgSchema = z.object({ name: z.string().min(1), value: z.string().optional() });
export type Cfg = z.infer<typeof cfgSchema>;

export const artifactSchema = z.object({
  kind: z.enum(['static-lib', 'shared-lib', 'object', 'addon', 'executable', 'file', 'directory']),
  path: z.string().min(1),
  /** The step (plugin name) that produced it. */
  step: z.string().optional(),
});
export type Artifact = z.infer<typeof artifactSchema>;

/**
 * Names of exported env vars must be POSIX identifiers: `kiln print --format env` writes
 * `NAME='value'` lines meant to be sourced, and only the value can be quoted there. A name is
 * therefore validated wherever it enters (directive lines, `ctx.emit`, a manifest file read back),
 * never escaped.
 */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const ENV_NAME_RULE =
  'an env name must be a POSIX identifier: a letter or "_", then letters, digits or "_" ([A-Za-z_][A-Za-z0-9_]*)';

/** The DIRECTIVE_INVALID error for a bad env name or value, or undefined when both are fine. */
export function envDirectiveProblem(
  name: string,
  value: string,
  source: string,
): KilnError | undefined {
  if (!ENV_NAME_PATTERN.test(name)) {
    return new KilnError(
      'DIRECTIVE_INVALID',
      `Invalid env name ${JSON.stringify(name)} in ${source}`,
      {
        hint: `Rename it: ${ENV_NAME_RULE}.`,
      },
    );
  }
  // No environment can hold a NUL byte (execve strings end at it), and no shell variable either.
  if (value.includes('\0')) {
    return new KilnError(
      'DIRECTIVE_INVALID',
      `The value of env ${name} in ${source} contains a NUL character`,
      {
        hint: 'Environment values cannot contain NUL; encode the data (e.g. base64) first.',
      },
    );
  }
  return undefined;
}

export const manifestSchema = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  package: z.object({ name: z.string(), version: z.string().optional(), root: z.string() }),
  target: z.string(),
  profile: z.string(),
  kilnVersion: z.string(),
  libs: z.array(linkLibSchema),
  searchPaths: z.array(searchPathSchema),
  includes: z.array(z.string()),
  defines: z.array(defineSchema),
  cflags: z.array(z.string()),
  ldflags: z.array(z.string()),
  rpaths: z.array(z.string()),
  cfg: z.array(cfgSchema),
  env: z
    .record(
      z.string(),
      z.string().refine((v) => !v.includes('\0'), { error: 'an env value cannot contain NUL' }),
    )
    .superRefine((env, ctx) => {
      for (const name of Object.keys(env)) {
        if (!ENV_NAME_PATTERN.test(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `invalid env name ${JSON.stringify(name)}: ${ENV_NAME_RULE}`,
          });
        }
      }
    }),
  metadata: z.record(z.string(), z.string()),
  artifacts: z.array(artifactSchema),
  inputs: z.object({ files: z.array(z.string()), env: z.array(z.string()) }),
  warnings: z.array(z.string()),
});
export type Manifest = z.infer<typeof manifestSchema>;

/**
 * What a link-producing step (a built or found library) hands to the steps that link against it.
 * The same shape is what a manifest contributes when a dependent links against a whole package.
 */
export interface LinkInfo {
  libs: LinkLib[];
  searchPaths: SearchPath[];
  includes: string[];
  defines: Define[];
  cflags: string[];
  ldflags: string[];
  rpaths: string[];
}

export function emptyLinkInfo(): LinkInfo {
  return {
    libs: [],
    searchPaths: [],
    includes: [],
    defines: [],
    cflags: [],
    ldflags: [],
    rpaths: [],
  };
}

/** Just the LinkInfo fields of a richer result (what goes into a manifest or a dependent's link). */
export function pickLinkInfo(info: LinkInfo): LinkInfo {
  const { libs, searchPaths, includes, defines, cflags, ldflags, rpaths } = info;
  return { libs, searchPaths, includes, defines, cflags, ldflags, rpaths };
}
