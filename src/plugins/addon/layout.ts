import { copyFile, lstat, mkdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import type { Profile } from '../../runner/types.js';
import { tempPath } from '../../state/index.js';
import { prebuildFileName, prebuildName } from '../../target/node.js';
import type { Triple } from '../../target/triple.js';

/**
 * node-gyp's configuration folder: `Debug` for the debug profile, `Release` for every other
 * (release and custom optimised profiles), which is where `bindings` and `node-gyp-build` look.
 */
export function configurationDir(profile: Pick<Profile, 'name'>): 'Debug' | 'Release' {
  return profile.name === 'debug' ? 'Debug' : 'Release';
}

/**
 * The prebuild file for `name`: prebuildify's tag list with the addon name in place of the
 * runtime tag, e.g. `demo.napi.glibc.node`. node-gyp-build ignores a leading word that is not a
 * tag, accepts an untagged runtime for Node-API builds, and the libc tag keeps a glibc build from
 * being picked on musl (iltorb#51, leveldown#388).
 */
export function prebuildFile(name: string, target: Triple): string {
  const tags = prebuildFileName(target).split('.').slice(1);
  return [name, ...tags].join('.');
}

export interface AddonDestination {
  dir: string;
  file: string;
}

/** Every place the addon is written, relative paths resolved against the package root. */
export function addonDestinations(
  root: string,
  name: string,
  target: Triple,
  profile: Pick<Profile, 'name'>,
  prebuild: boolean,
): AddonDestination[] {
  const out: AddonDestination[] = [
    { dir: path.join(root, 'build', configurationDir(profile)), file: `${name}.node` },
  ];
  if (prebuild) {
    out.push({
      dir: path.join(root, 'prebuilds', prebuildName(target)),
      file: prebuildFile(name, target),
    });
  }
  return out;
}

/**
 * Copies `from` to `to` through a temporary name and a rename, so a process loading the addon
 * never sees half a file; skipped when the content is already the same (the mtime then stays,
 * which keeps tools watching the folder quiet). Returns whether it wrote.
 */
export async function installFile(from: string, to: string): Promise<boolean> {
  if (await sameContent(from, to)) return false;
  await mkdir(path.dirname(to), { recursive: true });
  const tmp = tempPath(to);
  try {
    await copyFile(from, tmp);
    await rename(tmp, to);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return true;
}

/**
 * Copies a shared library into `dir` under every name the loader may ask for: the symlink chain
 * CMake and libtool create (`libkit.so` → `libkit.so.1` → `libkit.so.1.2.0`) is recreated as
 * relative links, since the addon records the soname (`libkit.so.1`), not the file it linked.
 * Returns the paths written (the files to register as artifacts).
 */
export async function bundleSharedLibrary(lib: string, dir: string): Promise<string[]> {
  const written: string[] = [];
  let current = lib;
  for (let hops = 0; hops < 16; hops++) {
    const st = await lstat(current);
    const dest = path.join(dir, path.basename(current));
    written.push(dest);
    if (!st.isSymbolicLink()) {
      await installFile(current, dest);
      return written;
    }
    const link = await readlink(current);
    const next = path.resolve(path.dirname(current), link);
    await replaceSymlink(path.basename(next), dest);
    current = next;
  }
  throw new KilnError('LINK_FAILED', `addon: ${lib} is a chain of more than 16 symlinks`, {
    hint: 'Check the shared library an earlier step reported; a symlink loop cannot be copied next to the addon.',
  });
}

async function replaceSymlink(targetName: string, dest: string): Promise<void> {
  try {
    if ((await readlink(dest)) === targetName) return;
  } catch {
    // Not a symlink (or missing): replaced below.
  }
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = tempPath(dest);
  await symlink(targetName, tmp);
  await rename(tmp, dest);
}

async function sameContent(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([readFile(a), readFile(b)]);
    return x.equals(y);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
