import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KilnError } from '../../errors.js';
import { currentHost, findPrebuild, type PrebuildHost } from './prebuilds.js';

export interface LoadAddonOptions {
  /**
   * The package folder (or any file or folder inside it, e.g. `import.meta.url`): the nearest
   * folder with a package.json is where `build/` and `prebuilds/` are looked up.
   * Default: process.cwd().
   */
  root?: string | URL;
}

export interface AddonLookup {
  /** The file to load, absolute; undefined when nothing fits. */
  file?: string;
  /** Every place looked at, in order, for the error that names them. */
  tried: string[];
}

/**
 * Where the addon `name` is, in node-gyp-build's order: `build/Release/<name>.node`, then
 * `build/Debug`, then the best prebuild for this process in `prebuilds/<platform>-<arch>` (see
 * prebuilds.ts), then the same beside the Node executable (an app bundled with its addons).
 * As in node-gyp-build, `PREBUILDS_ONLY=1` skips `build/`, and `<PACKAGE_NAME>_PREBUILD=<dir>`
 * (the package name upper-cased, `-` as `_`) looks in that folder instead of the package.
 */
export function resolveAddon(
  name: string,
  root: string,
  host: PrebuildHost = currentHost(),
  env: NodeJS.ProcessEnv = process.env,
): AddonLookup {
  const dir = prebuildOverride(root, env) ?? root;
  const tried: string[] = [];
  const local = env.PREBUILDS_ONLY
    ? []
    : [
        path.join(dir, 'build', 'Release', `${name}.node`),
        path.join(dir, 'build', 'Debug', `${name}.node`),
      ];
  for (const file of local) {
    tried.push(file);
    if (existsSync(file)) return { file, tried };
  }
  for (const base of [dir, path.dirname(process.execPath)]) {
    const found = findPrebuild(base, host, name);
    if (found.file) return { file: found.file, tried: [...tried, found.file] };
    tried.push(
      path.join(
        found.folder ?? path.join(base, 'prebuilds', `${host.platform}-${host.arch}`),
        `${name}.*.node`,
      ),
    );
  }
  return { tried };
}

function prebuildOverride(root: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      name?: unknown;
    };
    if (typeof pkg.name !== 'string') return undefined;
    return env[`${pkg.name.toUpperCase().replace(/-/g, '_')}_PREBUILD`] || undefined;
  } catch {
    // No readable package.json: node-gyp-build then has no override either.
    return undefined;
  }
}

/**
 * Loads the addon `name` of the package at `root` (see `resolveAddon` for where it looks).
 *
 * ```ts
 * const native = loadAddon<{ add(a: number, b: number): number }>('binding', { root: import.meta.url });
 * ```
 *
 * @throws ADDON_NOT_FOUND listing every path tried and the command that builds it. A file that
 *   exists but fails to load (a missing shared library, a wrong architecture) throws Node's own
 *   error, which names the cause.
 */
export function loadAddon<T = unknown>(name: string, options: LoadAddonOptions = {}): T {
  const root = packageRootOf(options.root ?? process.cwd());
  const { file: found, tried } = resolveAddon(name, root);
  if (!found) {
    throw new KilnError(
      'ADDON_NOT_FOUND',
      `No build of the addon "${name}" for ${process.platform}-${process.arch} in ${root}`,
      {
        details: `Tried:\n  ${tried.join('\n  ')}`,
        hint: 'Build it with `npx kiln build` in the package folder, or run `npx kiln install` to use a matching prebuild.',
      },
    );
  }
  // createRequire from the package keeps require's cache: loading twice returns the same module.
  return createRequire(path.join(root, 'package.json'))(found) as T;
}

function packageRootOf(start: string | URL): string {
  const value = start instanceof URL || start.startsWith('file:') ? fileURLToPath(start) : start;
  let dir = path.resolve(value);
  if (existsSync(dir) && statSync(dir).isFile()) dir = path.dirname(dir);
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) return dir;
  }
}
