import path from 'node:path';
import { linkInfoArgs } from '../../compile/index.js';
import { KilnError } from '../../errors.js';
import type { LinkInfo } from '../../manifest/schema.js';
import { isApple, type Triple } from '../../target/triple.js';
import type { Toolchain } from '../../toolchain/types.js';

/**
 * How a `.node` file is linked: it is a loadable module whose Node-API symbols (`napi_*`) are
 * resolved against the `node` executable when it is loaded, never at link time.
 *
 * - ELF (Linux, BSDs): `-shared`. No `-soname`: nothing links against an addon by name.
 * - Mach-O: `-bundle -undefined dynamic_lookup`, as node-gyp's addon.gypi (a bundle cannot be
 *   linked against, and `dynamic_lookup` leaves the `napi_*` symbols to the loading process).
 * - Windows needs `node.lib` generated from node-api-headers' `.def` files and a delay-load hook
 *   for `node.exe`; Kiln does not drive that yet, so it is a clear error instead of a broken DLL.
 */
export function moduleLinkFlags(target: Triple): string[] {
  if (isApple(target)) return ['-bundle', '-undefined', 'dynamic_lookup'];
  if (target.os === 'windows') {
    throw new KilnError(
      'TARGET_UNSUPPORTED',
      `addon: linking a Node-API addon for ${target.triple} is not supported yet`,
      {
        hint: "Build Windows addons with node-gyp (it can read Kiln's link metadata through `kiln print --format gyp`), or build on Linux or macOS.",
      },
    );
  }
  return ['-shared'];
}

/** The loader-relative rpath token: `$ORIGIN` (ELF) or `@loader_path` (Mach-O). */
export function originToken(target: Triple): string {
  return isApple(target) ? '@loader_path' : '$ORIGIN';
}

/**
 * An rpath entry that finds `libDir` from a module living in `moduleDir`, relative to the module
 * itself, so the package folder can be moved (`$ORIGIN/../lib`, `@loader_path`).
 */
export function relativeRpath(target: Triple, moduleDir: string, libDir: string): string {
  const rel = path.relative(moduleDir, libDir).split(path.sep).join('/');
  return rel ? `${originToken(target)}/${rel}` : originToken(target);
}

export interface LinkPlan {
  /** Link infos with build-machine rpaths inside the package removed. */
  link: LinkInfo[];
  /** Shared libraries built by earlier steps (inside the package): copied next to the addon. */
  bundled: string[];
}

/**
 * Decides what the addon needs at run time. Shared libraries that earlier steps built inside the
 * package are copied next to the `.node` and found through `$ORIGIN` / `@loader_path`, so a moved
 * or packed package still loads; their absolute build-folder rpaths are dropped (they would leak
 * the build machine's paths into a prebuild). Libraries outside the package (system or found
 * through pkg-config) keep their rpaths as given.
 */
export function planLinks(infos: readonly LinkInfo[], packageRoot: string): LinkPlan {
  const inside = (p: string) => {
    const rel = path.relative(packageRoot, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  const bundled: string[] = [];
  const link = infos.map((info) => {
    for (const lib of info.libs) {
      if (lib.kind === 'dylib' && lib.path && inside(lib.path) && !bundled.includes(lib.path))
        bundled.push(lib.path);
    }
    return { ...info, rpaths: info.rpaths.filter((r) => !inside(r)) };
  });
  return { link, bundled };
}

export interface AddonLinkInput {
  toolchain: Toolchain;
  /** Link with the C++ driver (any C++ source, or a C++ library linked in). */
  cxx: boolean;
  output: string;
  objects: readonly string[];
  link: readonly LinkInfo[];
  /** rpath entries (already relative: `$ORIGIN`). */
  rpaths: readonly string[];
  ldFlags: readonly string[];
}

/** The full link argv (program first) of an addon. */
export function addonLinkCommand(input: AddonLinkInput): { program: string; args: string[] } {
  const tc = input.toolchain;
  const tool = input.cxx ? tc.cxx : tc.cc;
  const apple = isApple(tc.target);
  const args = [
    ...(tool.compilerArgs ?? tool.args),
    ...(input.cxx ? (tc.cxxTargetFlags ?? tc.targetFlags) : tc.targetFlags),
    ...moduleLinkFlags(tc.target),
    '-o',
    input.output,
    ...input.objects,
  ];
  for (const info of input.link) args.push(...linkInfoArgs(info, apple));
  for (const r of input.rpaths) args.push(`-Wl,-rpath,${r}`);
  args.push(...input.ldFlags, ...tc.ldflags);
  // Links do not go through a compiler cache wrapper (ccache cannot cache them).
  return { program: tool.path, args };
}
