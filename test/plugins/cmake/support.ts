import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type {
  BuildEvent,
  BuildOptions,
  BuildResult,
  LinkInfo,
  Manifest,
} from '../../../src/index.js';
import { build } from '../../../src/index.js';
import type { CmakeProject } from '../../../src/plugins/cmake/index.js';
import { makePackage, REPO_ROOT, writeFile } from '../../support/package.js';

export const FIXTURES = path.join(REPO_ROOT, 'native-fixtures', 'cmake');
export const PLUGIN = path.join(REPO_ROOT, 'src', 'plugins', 'cmake', 'index.ts');

/**
 * A build config that runs one cmake step and saves its typed result (`CmakeProject`) as JSON in
 * the outDir, so tests can assert on what the plugin returned as well as on the manifest.
 */
export function cmakeConfig(call: string, preamble = ''): string {
  return `import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cmake, cmakeWith } from ${JSON.stringify(PLUGIN)};
${preamble}
const step = ${call};
export default {
  plugins: [step],
  async build(ctx) {
    const result = await ctx.use(step);
    writeFileSync(path.join(ctx.outDir, 'cmake-result.json'), JSON.stringify(result, null, 2));
  },
};
`;
}

/** A package (in a folder whose name has a space and non-ASCII letters) with fixture projects copied under vendor/. */
export function cmakePackage(fixtures: string[], config: string): string {
  const root = makePackage({ 'build.config.ts': config }, { dirName: 'pkg dir ü' });
  for (const f of fixtures)
    cpSync(path.join(FIXTURES, f), path.join(root, 'vendor', f), { recursive: true });
  return root;
}

export function setConfig(root: string, config: string): void {
  writeFile(root, 'build.config.ts', config);
}

export interface Run {
  result: BuildResult;
  events: BuildEvent[];
  /** argv of every cmake run (first element: the subcommand flag, e.g. `--build`, `-S`). */
  cmake: string[][];
  project: CmakeProject;
}

export async function runBuild(root: string, options: BuildOptions = {}): Promise<Run> {
  const events: BuildEvent[] = [];
  const result = await build({ cwd: root, jobs: 2, ...options, onEvent: (e) => events.push(e) });
  const cmake = events
    .filter((e): e is Extract<BuildEvent, { type: 'exec' }> => e.type === 'exec')
    .filter((e) => path.basename(e.file) === 'cmake')
    .map((e) => e.args);
  const project = JSON.parse(
    readFileSync(path.join(result.outDir, 'cmake-result.json'), 'utf8'),
  ) as CmakeProject;
  return { result, events, cmake, project };
}

/** Runs a build that must fail; returns the error. */
export async function buildError(
  root: string,
  options: BuildOptions = {},
): Promise<Error & Record<string, unknown>> {
  try {
    await build({ cwd: root, jobs: 2, ...options });
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the build to fail');
}

/** What a consumer passes the compiler driver for the link info (libraries in link order). */
export function linkArgs(info: LinkInfo | Manifest): string[] {
  const args: string[] = [];
  for (const inc of info.includes) args.push(`-I${inc}`);
  for (const d of info.defines)
    args.push(d.value === undefined ? `-D${d.name}` : `-D${d.name}=${d.value}`);
  for (const s of info.searchPaths) if (s.kind === 'native') args.push(`-L${s.path}`);
  for (const lib of info.libs) {
    if (lib.kind === 'static' && lib.path) args.push(lib.path);
    else if (lib.kind === 'framework') args.push('-framework', lib.name);
    else args.push(`-l${lib.name}`);
  }
  for (const r of info.rpaths) args.push(`-Wl,-rpath,${r}`);
  args.push(...info.ldflags);
  return args;
}

/** Compiles `main.c` against link info with `cc` into `out`. */
export async function compileProgram(
  cc: string,
  source: string,
  out: string,
  info: LinkInfo | Manifest,
): Promise<void> {
  await execa(cc, [source, '-o', out, ...linkArgs(info)]);
}

/** `e_machine` of an ELF file: 62 x86-64, 183 AArch64. */
export function elfMachine(file: string): number {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file} is not an ELF file`);
  return b[5] === 1 ? b.readUInt16LE(18) : b.readUInt16BE(18);
}

export function progressSteps(events: BuildEvent[]): string[] {
  return events
    .filter((e): e is Extract<BuildEvent, { type: 'progress' }> => e.type === 'progress')
    .map((e) => `${e.step} ${e.what}`);
}
