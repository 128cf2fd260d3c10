/**
 * `mode: 'binary'`: asks the system pkg-config (argv arrays, never a shell) and reads its output
 * into the same result the built-in resolver gives.
 */
import { KilnError } from '../../errors.js';
import { filterSystemArgs, type SystemDirs } from '../../pkgconf/system-dirs.js';
import { type Dependency, formatDependency } from '../../pkgconf/version.js';
import type { BuildContext } from '../../runner/types.js';
import { assembleLibrary, classifyLibs, makeStatic, type PkgConfigLibrary } from './link-info.js';

export interface BinaryQuery {
  file: string;
  library: string;
  world: readonly Dependency[];
  isStatic: boolean;
  defineVariables: Readonly<Record<string, string>>;
  /** Search variables under their plain names, re-exported to the child as pkg-config-rs does. */
  searchEnv: Record<string, string | undefined>;
  /** System dirs and keep switches, read from the build's environment. */
  system: SystemDirs;
}

/**
 * Splits pkg-config output into arguments: unescaped whitespace separates, a backslash keeps the
 * next character (pkgconf escapes spaces and shell characters this way).
 */
export function splitOutput(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

export async function queryBinary(ctx: BuildContext, q: BinaryQuery): Promise<PkgConfigLibrary> {
  const env: Record<string, string | undefined> = { ...q.searchEnv };
  const defines = Object.entries(q.defineVariables).map(([k, v]) => `--define-variable=${k}=${v}`);
  const pkgArgs = q.world.map(formatDependency);
  const run = async (args: string[]): Promise<string> => {
    const r = await ctx.exec(q.file, [...defines, ...args], {
      directives: false,
      jobs: 0,
      allowFailure: true,
      env,
    });
    if (r.exitCode !== 0) {
      const mismatch = /could not be satisfied|required version/.test(r.stderr);
      throw new KilnError(
        mismatch ? 'PKG_VERSION_MISMATCH' : 'PKG_NOT_FOUND',
        `${q.file} could not find ${pkgArgs.join(', ')} (exit status ${r.exitCode})`,
        {
          command: r.command,
          details: r.stderr
            .trim()
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n'),
          hint: `Install the development package of ${q.library}, or add the directory containing ${q.library}.pc to PKG_CONFIG_PATH.`,
        },
      );
    }
    return r.stdout;
  };
  const staticArg = q.isStatic ? ['--static'] : [];
  const cflags = filterSystemArgs(
    splitOutput(await run([...staticArg, '--cflags', ...pkgArgs])),
    q.system,
    q.system.keepSystemCflags,
  );
  const libs = filterSystemArgs(
    splitOutput(await run([...staticArg, '--libs', ...pkgArgs])),
    q.system,
    q.system.keepSystemLibs,
  );
  const version = (await run(['--modversion', q.library])).trim();
  const names = (await run(['--print-variables', q.library]))
    .split('\n')
    .filter((l) => l.length > 0);
  const variables: Record<string, string> = {};
  for (const v of names)
    variables[v] = (await run([`--variable=${v}`, q.library])).replace(/\n$/, '');
  const classified = classifyLibs(libs);
  if (q.isStatic)
    for (const w of makeStatic(classified, q.system.systemLibDirs, q.library))
      ctx.log.warn(`${q.library}: ${w}`);
  return assembleLibrary(q.library, version, cflags, classified, variables);
}
