import { KilnError } from '../errors.js';
import type { BuildContext } from '../runner/types.js';
import { stem } from './discover.js';
import { isClStyle, probeMsvc } from './msvc/probe.js';
import { probeCache, probeKey } from './probe-cache.js';
import { shellJoin } from './shellwords.js';
import type { CompilerFamily, CompilerInfo, Tool } from './types.js';

/**
 * Asks the compiler what it is rather than guessing from its name (`cc` may be gcc or clang,
 * Apple's `gcc` is clang): the preprocessor tells us which vendor macros it defines. Apple clang
 * defines `__apple_build_version__`, every clang defines `__GNUC__` too, so order matters.
 */
const PROBE = `#if defined(__apple_build_version__)
kiln_family=apple-clang
kiln_version=__clang_major__.__clang_minor__.__clang_patchlevel__
#elif defined(__clang__)
kiln_family=clang
kiln_version=__clang_major__.__clang_minor__.__clang_patchlevel__
#elif defined(_MSC_VER)
kiln_family=msvc
kiln_version=_MSC_VER
#elif defined(__GNUC__)
kiln_family=gcc
kiln_version=__GNUC__.__GNUC_MINOR__.__GNUC_PATCHLEVEL__
#else
kiln_family=unknown
#endif
`;

/**
 * Detects the family and version of a compiler: memoised per build, and remembered between
 * builds in the outDir (see probe-cache.ts) so rebuilds spawn nothing to learn it.
 */
export function detectCompiler(
  ctx: Pick<BuildContext, 'cache' | 'exec' | 'outDir'>,
  tool: Tool,
  language: 'c' | 'c++',
): Promise<CompilerInfo> {
  const args = tool.compilerArgs ?? tool.args;
  // A cl-style driver answers the same for C and C++ (the probe picks neither): one probe.
  const clStyle = isClStyle(stem(tool.path), args);
  const lang = clStyle ? 'cl' : language;
  const key = `kiln:toolchain:family:${JSON.stringify([tool.path, args, lang])}`;
  return ctx.cache(key, async () => {
    const persistKey = probeKey(tool.path, args, lang);
    const cache = await probeCache(ctx);
    const known = persistKey ? cache.get(persistKey) : undefined;
    if (known) return known;
    // cl-style drivers do not take `-E -`; their name (or clang's --driver-mode) is reliable.
    if (clStyle) {
      const info = await probeMsvc(ctx, tool, args);
      if (persistKey) await cache.set(persistKey, info);
      return info;
    }
    const argv = [...args, '-E', '-P', '-x', language, '-'];
    const result = await ctx.exec(tool.path, argv, {
      input: PROBE,
      jobs: 0,
      directives: false,
      allowFailure: true,
    });
    const family = /kiln_family=([\w-]+)/.exec(result.stdout)?.[1];
    if (result.exitCode !== 0 || !family || family === 'unknown') {
      throw new KilnError(
        'TOOL_NOT_FOUND',
        `could not identify the compiler ${tool.path}: it did not answer a preprocessor probe`,
        {
          command: shellJoin([tool.path, ...argv]),
          details: `${result.stderr}${result.stdout}`.trim() || `exit code ${result.exitCode}`,
          hint: 'Kiln supports gcc, clang, Apple clang and cl-style compilers; point CC/CXX at one of them.',
        },
      );
    }
    const rawVersion = /kiln_version=(.*)/.exec(result.stdout)?.[1] ?? '';
    const info: CompilerInfo = {
      family: family as CompilerFamily,
      version: rawVersion.replace(/\s+/g, ''),
    };
    if (persistKey) await cache.set(persistKey, info);
    return info;
  });
}

/** True for compilers that take GNU-style flags (`-c -o -MD`). */
export function isGnuLike(info: CompilerInfo): boolean {
  return info.family !== 'msvc';
}

export function isClang(info: CompilerInfo): boolean {
  return info.family === 'clang' || info.family === 'apple-clang';
}
