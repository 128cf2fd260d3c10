import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findConfigFileIfAny } from '../config/find.js';
import { KilnError } from '../errors.js';
import {
  choosePrebuildFiles,
  choosePrebuildFolder,
  currentHost,
  listDir,
  type PrebuildHost,
} from '../plugins/addon/prebuilds.js';
import { buildCommand } from './build.js';

export interface InstallCommandArgs {
  cwd?: string | undefined;
  jobs?: number | undefined;
  json?: boolean | undefined;
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
}

/**
 * `kiln install`, the package's npm `install` script: use the prebuild node-gyp-build would
 * load when it loads here, otherwise build from source (the Release profile, as `kiln build`).
 */
export async function installCommand(
  args: InstallCommandArgs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const root = path.resolve(args.cwd ?? '.');
  const host = currentHost(env);
  // One line per decision; with --json the same as an `install` event.
  const say = (line: string, event: Record<string, string>) => {
    if (args.json) process.stdout.write(`${JSON.stringify({ type: 'install', ...event })}\n`);
    else if (!args.quiet) process.stdout.write(`kiln install: ${line}\n`);
  };

  let reason: string;
  const requested = buildFromSourceRequested(env, packageName(root));
  if (requested) {
    reason = `${requested} is set`;
  } else {
    const picked = pickPrebuilds(root, host);
    if (picked.files.length > 0 && !picked.failure) {
      for (const file of picked.files) {
        say(`using ${relative(root, file)}`, { action: 'prebuild', file: relative(root, file) });
      }
      return 0;
    }
    reason = picked.failure ?? `no prebuild fits ${describeHost(host)}`;
  }

  if (!findConfigFileIfAny(root)) {
    throw new KilnError(
      'CONFIG_NOT_FOUND',
      `Cannot install the addon in ${root}: ${reason}, and there is no build.config.* to build it from`,
      {
        hint: `Ship a prebuild in prebuilds/${host.platform}-${host.arch}/ (build with \`addon({ prebuild: true })\` on that platform), or publish the build config and sources with the package.`,
      },
    );
  }
  say(`${reason}; building from source (Release)`, { action: 'build', reason });
  const code = await buildCommand({
    ...args,
    cwd: root,
    profile: 'release',
  });
  if (code === 0) say('built from source', { action: 'built' });
  return code;
}

/**
 * The variable that asks for a build from source, if any: `KILN_BUILD_FROM_SOURCE=1`, or npm's
 * `--build-from-source` (`npm_config_build_from_source=true`), which, as prebuild-install reads
 * it, may also name the packages it applies to (`--build-from-source=a,b`).
 */
export function buildFromSourceRequested(
  env: NodeJS.ProcessEnv,
  name: string | undefined,
): string | undefined {
  const off = (v: string) => ['', '0', 'false', 'no', 'off'].includes(v.toLowerCase());
  const kiln = env.KILN_BUILD_FROM_SOURCE;
  if (kiln !== undefined && !off(kiln)) return 'KILN_BUILD_FROM_SOURCE';
  const npm = env.npm_config_build_from_source;
  if (npm === undefined || off(npm)) return undefined;
  const names = npm.split(',').map((n) => n.trim());
  return ['true', '1'].includes(npm.toLowerCase()) || (name && names.includes(name))
    ? 'npm_config_build_from_source'
    : undefined;
}

function packageName(root: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      name?: unknown;
    };
    return typeof pkg.name === 'string' ? pkg.name : undefined;
  } catch {
    // Without a readable package.json only the plain `true` form can apply.
    return undefined;
  }
}

interface Picked {
  files: string[];
  /** Why a chosen prebuild is not used: it failed to load here. */
  failure?: string;
}

function pickPrebuilds(root: string, host: PrebuildHost): Picked {
  const base = path.join(root, 'prebuilds');
  const folder = choosePrebuildFolder(listDir(base), host);
  if (!folder) return { files: [] };
  const dir = path.join(base, folder);
  const { chosen, unmatched } = choosePrebuildFiles(listDir(dir), host);
  if (unmatched.length > 0) {
    return {
      files: [],
      failure: `no prebuild of ${unmatched.join(', ')} fits ${describeHost(host)}`,
    };
  }
  const files = chosen.map((f) => path.join(dir, f));
  // An install for another machine (npm_config_arch / npm_config_platform) cannot load the
  // file here; the name match is all there is to go on, as in node-gyp-build.
  if (host.platform !== process.platform || host.arch !== process.arch) return { files };
  for (const file of files) {
    const error = loadError(file);
    if (error) return { files, failure: `${relative(root, file)} does not load here (${error})` };
  }
  return { files };
}

/**
 * Loads the file in a child Node process, as a matching name is not proof: a prebuild can need a
 * newer glibc or a shared library this machine lacks. The child keeps a crash out of the install.
 */
function loadError(file: string): string | undefined {
  const r = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', file], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status === 0) return undefined;
  if (r.error) return r.error.message;
  const lines = `${r.stderr}`.split('\n').map((l) => l.trim());
  return (
    lines.find((l) => /^(Error|TypeError)\b/.test(l) || l.includes('.node:')) ??
    (r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`)
  );
}

function describeHost(host: PrebuildHost): string {
  const tags: string[] = [host.runtime, ...(host.platform === 'linux' ? [host.libc] : [])];
  if (host.armv && host.arch.startsWith('arm')) tags.push(`armv${host.armv}`);
  return `${host.platform}-${host.arch} (${tags.join(', ')})`;
}

/** Package-relative with `/`, as the path appears in the package's files. */
function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
