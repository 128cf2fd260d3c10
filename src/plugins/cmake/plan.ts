import { mkdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { LinkInfo } from '../../manifest/schema.js';
import type { BuildContext } from '../../runner/types.js';
import { stampWritten } from '../../state/index.js';
import { deploymentTarget } from '../../target/apple.js';
import { cmakeOsxArchitectures } from '../../target/cmake.js';
import { isApple } from '../../target/triple.js';
import type { Toolchain } from '../../toolchain/types.js';
import { findExecutable } from '../../toolchain/which.js';
import type { CmakeJsSetup } from './cmake-js.js';
import type { ConfigurePlan } from './configure.js';
import type { GeneratorChoice } from './generator.js';
import type { CmakeInstall } from './locate.js';
import type { ResolvedOptions } from './options.js';
import { writeProbeFiles } from './probe.js';
import { cacheEntries } from './settings.js';
import {
  appleSdkFromFlags,
  type MsvcToolchainInput,
  renderToolchainFile,
} from './toolchain-file.js';
import { writeIfChanged } from './write.js';

/**
 * What an MSVC-target toolchain file needs (see `MsvcToolchainInput`): a `clang-cl` name for
 * `clang --driver-mode=cl`, `llvm-mt` off Windows, and whether CRT/SDK libraries are available
 * for CMake's compiler checks to link against.
 */
async function msvcSetup(
  ctx: BuildContext,
  tc: Toolchain,
  stepDir: string,
  generator: GeneratorChoice,
): Promise<MsvcToolchainInput> {
  const windows = ctx.host.os === 'windows';
  const visualStudio = generator.name.startsWith('Visual Studio');
  const args = tc.cc.compilerArgs ?? [];
  const clangCl = !visualStudio && args.includes('--driver-mode=cl');
  const shim = clangCl ? await clangClShim(tc.cc.path, path.join(stepDir, 'kiln-bin')) : undefined;
  const mt = windows || visualStudio ? undefined : findExecutable('llvm-mt', ctx.packageRoot);
  ctx.trackTool('llvm-mt', mt);
  const libraries = ctx.getEnv('LIB') !== undefined || tc.sysroot !== undefined;
  return { visualStudio, clangClShim: shim, mt, noSdkLibraries: !windows && !libraries };
}

/** A `clang-cl` symlink to `clang` (clang picks its driver mode from the name it is run as). */
async function clangClShim(clang: string, dir: string): Promise<string> {
  const link = path.join(dir, process.platform === 'win32' ? 'clang-cl.exe' : 'clang-cl');
  const current = await readlink(link).catch(() => undefined);
  if (current !== clang) {
    await mkdir(dir, { recursive: true });
    await rm(link, { force: true });
    await symlink(clang, link);
  }
  return link;
}

export interface PlanInput {
  sourceDir: string;
  stepDir: string;
  cmake: CmakeInstall;
  generator: GeneratorChoice;
  toolchain: Toolchain | undefined;
  userToolchain: string | undefined;
  deps: Record<string, LinkInfo>;
  buildType: string;
  cmakeJs?: CmakeJsSetup | undefined;
}

export interface Plan extends ConfigurePlan {
  installDir: string;
}

/**
 * Everything a configure would be given, computed on every run (it is what the stored state is
 * compared with): the generated toolchain file and probe files (written only when their content
 * changes, see write.ts), every `-D`, the tracked environment and the first-configure-only settings.
 */
export async function makePlan(
  ctx: BuildContext,
  opts: ResolvedOptions,
  input: PlanInput,
): Promise<Plan> {
  const { stepDir, toolchain, userToolchain } = input;
  const buildDir = path.join(stepDir, 'build');
  const installDir = path.join(stepDir, 'install');
  const msvc =
    ctx.target.env === 'msvc' && toolchain
      ? await msvcSetup(ctx, toolchain, stepDir, input.generator)
      : undefined;
  const toolchainText =
    renderToolchainFile({ target: ctx.target, host: ctx.host, toolchain, userToolchain, msvc }) +
    (input.cmakeJs?.toolchainLines ?? []).map((l) => `${l}\n`).join('');
  const toolchainFile = path.join(stepDir, 'kiln-toolchain.cmake');
  await writeIfChanged(toolchainFile, toolchainText);
  // A project that sets CMAKE_PROJECT_INCLUDE itself keeps it; discovery then works without probes.
  const userInclude = opts.defines?.CMAKE_PROJECT_INCLUDE !== undefined;
  const probeDir = path.join(stepDir, 'kiln-probe');
  const probeInclude = userInclude ? undefined : await writeProbeFiles(probeDir);
  const apple = isApple(ctx.target);
  const defines = cacheEntries({
    options: opts,
    target: ctx.target,
    buildType: input.buildType,
    installDir,
    toolchainFile,
    probeInclude,
    probeDir,
    macosVersion: apple ? deploymentTarget(ctx, ctx.target) : undefined,
    cmakeMajor: input.cmake.version.major,
    deps: input.deps,
    cmakeJs: input.cmakeJs?.entries,
  });
  const sdk = apple && toolchain ? appleSdkFromFlags(toolchain.targetFlags) : undefined;
  if (sdk && !defines.has('CMAKE_OSX_SYSROOT')) defines.set('CMAKE_OSX_SYSROOT', sdk);
  // Variables CMake itself reads on every configure; reading them here makes them tracked inputs.
  const envInputs: Record<string, string> = {};
  for (const name of ['CMAKE_PREFIX_PATH', 'PKG_CONFIG_PATH']) {
    const value = ctx.getEnv(name);
    if (value !== undefined) envInputs[name] = value;
  }
  const compilers = toolchain
    ? `${toolchain.ccInfo.family} ${toolchain.ccInfo.version} / ${toolchain.cxxInfo.family} ${toolchain.cxxInfo.version}`
    : 'user toolchain file';
  return {
    name: opts.name,
    cmake: input.cmake,
    sourceDir: input.sourceDir,
    buildDir,
    installDir,
    stepDir,
    generator: input.generator,
    defines,
    envInputs,
    configureArgs: opts.configureArgs ?? [],
    fresh: {
      cmake: `${input.cmake.path} ${input.cmake.version.string}`,
      generator: input.generator.platform
        ? `${input.generator.name} -A ${input.generator.platform}`
        : input.generator.name,
      source: input.sourceDir,
      toolchain: toolchainText,
      compilers,
      ...(userToolchain
        ? { userToolchain: (await stampWritten(userToolchain)).hash ?? 'missing' }
        : {}),
      ...(apple ? { osxArchitectures: cmakeOsxArchitectures(ctx.target) } : {}),
      env: JSON.stringify(opts.env ?? {}),
    },
    env: {
      // The toolchain file carries CC/CXX/CFLAGS/... as Kiln resolved them; CMake would add the
      // raw variables again on the first configure.
      ...(toolchain
        ? {
            CC: undefined,
            CXX: undefined,
            CFLAGS: undefined,
            CXXFLAGS: undefined,
            LDFLAGS: undefined,
          }
        : {}),
      ...opts.env,
    },
  };
}
