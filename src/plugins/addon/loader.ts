import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KilnError } from '../../errors.js';

export interface LoadAddonOptions {
  /**
   * The package folder (or any file or folder inside it, e.g. `import.meta.url`): the nearest
   * folder with a package.json is where `build/` and `prebuilds/` are looked up.
   * Default: process.cwd().
   */
  root?: string | URL;
}

/**
 * Where an addon built by Kiln's `addon` step can be, in the order node-gyp-build tries:
 * `build/Release`, `build/Debug`, then the prebuild folders for this platform that hold this arch
 * (`linux-x64`, then multi-arch ones such as `darwin-x64+arm64`, as node-gyp-build prefers
 * single-arch folders), the libc-tagged file first on Linux as it is the more specific one.
 */
export function addonCandidates(name: string, root: string): string[] {
  const libc = process.platform === 'linux' ? runtimeLibc() : undefined;
  const files = [...(libc ? [`${name}.napi.${libc}.node`] : []), `${name}.napi.node`];
  return [
    path.join(root, 'build', 'Release', `${name}.node`),
    path.join(root, 'build', 'Debug', `${name}.node`),
    ...prebuildDirs(root).flatMap((dir) => files.map((f) => path.join(dir, f))),
  ];
}

function prebuildDirs(root: string): string[] {
  const base = path.join(root, 'prebuilds');
  const single = `${process.platform}-${process.arch}`;
  let multi: string[] = [];
  try {
    multi = readdirSync(base)
      .filter((d) => {
        const [platform, arches, extra] = d.split('-');
        return (
          platform === process.platform &&
          extra === undefined &&
          arches?.includes('+') &&
          arches.split('+').includes(process.arch)
        );
      })
      .sort((a, b) => a.split('+').length - b.split('+').length);
  } catch (error) {
    // No prebuilds folder: only the single-arch path is reported as tried.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return [single, ...multi].map((d) => path.join(base, d));
}

/**
 * Loads the addon `name` of the package at `root` (see `addonCandidates` for where it looks).
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
  const candidates = addonCandidates(name, root);
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new KilnError(
      'ADDON_NOT_FOUND',
      `No build of the addon "${name}" for ${process.platform}-${process.arch} in ${root}`,
      {
        details: `Tried:\n  ${candidates.join('\n  ')}`,
        hint: 'Build it with `npx kiln build` (or `npx kiln build --release`) in the package folder.',
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

/** node-gyp-build's rule: `LIBC` wins, else musl on Alpine, else glibc. */
function runtimeLibc(): 'glibc' | 'musl' {
  const env = process.env.LIBC;
  if (env === 'musl' || env === 'glibc') return env;
  return existsSync('/etc/alpine-release') ? 'musl' : 'glibc';
}
