import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import type { BuildContext } from '../../runner/types.js';
import { shellJoin } from '../shellwords.js';
import type { CompilerInfo, Tool } from '../types.js';
import { ENGLISH_PREFIX, learnPrefix, PROBE_HEADER } from './show-includes.js';

/**
 * The probe for cl-style drivers, which take neither `-E -` nor `-x`: a file that includes a
 * known header, preprocessed with `/EP /showIncludes`. The output gives `_MSC_VER`, whether the
 * driver is clang-cl (`__clang_major__` expands), and, from the header's include line, the
 * `/showIncludes` prefix in the compiler's language.
 */
const PROBE = `#include "${PROBE_HEADER}"
kiln_msc_ver=_MSC_VER
kiln_clang=__clang_major__.__clang_minor__.__clang_patchlevel__
`;

/** True when the tool is a cl-style driver: `cl`, `clang-cl`, or any clang with `--driver-mode=cl`. */
export function isClStyle(toolStem: string, args: readonly string[]): boolean {
  const name = toolStem.toLowerCase();
  if (name === 'cl' || /^clang-cl(-\d+)?$/.test(name)) return true;
  return args.includes('--driver-mode=cl');
}

export async function probeMsvc(
  ctx: Pick<BuildContext, 'exec' | 'outDir'>,
  tool: Tool,
  args: readonly string[],
): Promise<CompilerInfo> {
  const base = path.join(ctx.outDir, 'toolchain');
  await mkdir(base, { recursive: true });
  const dir = await mkdtemp(path.join(base, 'msvc-probe-'));
  try {
    await writeFile(path.join(dir, PROBE_HEADER), '\n');
    await writeFile(path.join(dir, 'probe.c'), PROBE);
    const argv = [...args, '/nologo', '/EP', '/showIncludes', 'probe.c'];
    const result = await ctx.exec(tool.path, argv, {
      cwd: dir,
      jobs: 0,
      directives: false,
      allowFailure: true,
      // The same language setting every compile runs with (see the cl command in compile/).
      env: { ...tool.env, VSLANG: '1033' },
    });
    const version = /kiln_msc_ver=(\d+)/.exec(result.stdout)?.[1];
    if (result.exitCode !== 0 || version === undefined) {
      throw new KilnError(
        'TOOL_NOT_FOUND',
        `could not identify the compiler ${tool.path}: it did not answer a cl-style preprocessor probe`,
        {
          command: shellJoin([tool.path, ...argv]),
          details: `${result.stderr}${result.stdout}`.trim() || `exit code ${result.exitCode}`,
          hint: 'Point CC/CXX at cl.exe or clang-cl (or clang with --driver-mode=cl).',
        },
      );
    }
    const clang = /kiln_clang=([\d\s.]+)$/m.exec(result.stdout)?.[1]?.replace(/\s+/g, '');
    // cl.exe writes the include lines to stderr under /EP, clang-cl too; look at both.
    const prefix = learnPrefix(`${result.stderr}\n${result.stdout}`) ?? ENGLISH_PREFIX;
    return {
      family: 'msvc',
      version: clang ? `${version} (clang ${clang})` : version,
      ...(clang ? { clangCl: true } : {}),
      showIncludesPrefix: prefix,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
