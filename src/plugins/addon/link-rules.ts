import path from 'node:path';
import { linkInfoArgs, msvcLinkCommand } from '../../compile/index.js';
import { emptyLinkInfo, type LinkInfo } from '../../manifest/schema.js';
import { isApple, type Triple } from '../../target/triple.js';
import type { Toolchain } from '../../toolchain/types.js';
import { relativeInside } from '../../util/paths.js';
import type { NodeImportLib } from './windows.js';

/**
 * How a `.node` file is linked: it is a loadable module whose Node-API symbols (`napi_*`) are
 * resolved against the `node` executable when it is loaded, never at link time.
 *
 * - ELF (Linux, BSDs): `-shared`. No `-soname`: nothing links against an addon by name.
 * - Mach-O: `-bundle -undefined dynamic_lookup`, as node-gyp's addon.gypi (a bundle cannot be
 *   linked against, and `dynamic_lookup` leaves the `napi_*` symbols to the loading process).
 * - Windows (MinGW-w64): `-shared` to a DLL named `<name>.node`, linked against a delay-load
 *   `node.lib` (see `windows.ts`) and the hook that binds it to the running executable. The GCC
 *   runtimes are linked in statically: Windows has no rpath, so a `libstdc++-6.dll` would have to be
 *   found on PATH.
 * - Windows (MSVC): linked by `addonLinkCommand` with lld-link/link style flags.
 */
export function moduleLinkFlags(target: Triple, cxx = false): string[] {
  if (isApple(target)) return ['-bundle', '-undefined', 'dynamic_lookup'];
  if (target.os === 'windows') {
    if (target.env === 'msvc') return ['/DLL'];
    return ['-shared', '-static-libgcc', ...(cxx ? ['-static-libstdc++'] : [])];
  }
  return ['-shared'];
}

function nodeLibLinkInfo(file: string): LinkInfo {
  return { ...emptyLinkInfo(), libs: [{ name: 'node', kind: 'static', path: file }] };
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
  const inside = (p: string) => !!relativeInside(packageRoot, p);
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
  /** Windows: the Node import library (and whether it delay-loads by itself). */
  nodeLib?: NodeImportLib | undefined;
}

/**
 * The full link argv (program first) of an addon. For MSVC targets: link.exe / lld-link with
 * `/DLL`, `node.lib` with `/DELAYLOAD:node.exe` and `delayimp.lib` (which provides the delay-load
 * helper that calls the hook), and `kernel32.lib` for the hook's `GetModuleHandleA`, as node-gyp
 * links them.
 */
export function addonLinkCommand(
  input: AddonLinkInput & { debug?: boolean | undefined; root?: string | undefined },
): { program: string; args: string[]; env?: Record<string, string> | undefined } {
  const tc = input.toolchain;
  if (tc.target.env === 'msvc' && tc.linker) {
    const nodeLib = input.nodeLib;
    return msvcLinkCommand(
      {
        toolchain: tc,
        name: path.basename(input.output),
        output: input.output,
        objects: input.objects,
        cxx: input.cxx,
        link: [
          ...input.link.map((info) => ({ ...info, rpaths: [] })),
          ...(nodeLib ? [nodeLibLinkInfo(nodeLib.path)] : []),
        ],
        ldFlags: [
          ...(nodeLib && !nodeLib.delayLib ? ['/DELAYLOAD:node.exe', 'delayimp.lib'] : []),
          'kernel32.lib',
          ...input.ldFlags,
        ],
        debug: input.debug,
        root: input.root,
      },
      input.output,
    );
  }
  const tool = input.cxx ? tc.cxx : tc.cc;
  const apple = isApple(tc.target);
  const args = [
    ...(tool.compilerArgs ?? tool.args),
    ...(input.cxx ? (tc.cxxTargetFlags ?? tc.targetFlags) : tc.targetFlags),
    ...moduleLinkFlags(tc.target, input.cxx),
    '-o',
    input.output,
    ...input.objects,
  ];
  const windows = tc.target.os === 'windows';
  for (const info of input.link) {
    // Windows has no rpath: dependent DLLs are copied next to the addon instead.
    args.push(...linkInfoArgs(windows ? { ...info, rpaths: [] } : info, apple));
  }
  for (const r of input.rpaths) args.push(`-Wl,-rpath,${r}`);
  if (input.nodeLib) args.push(input.nodeLib.path);
  args.push(...input.ldFlags, ...tc.ldflags);
  // Links do not go through a compiler cache wrapper (ccache cannot cache them).
  return { program: tool.path, args };
}
