import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { LinkInfo } from '../../src/manifest/schema.js';
import type { ContextState } from '../../src/runner/context.js';
import type { BuildEvent } from '../../src/runner/events.js';
import { createInternalTestBuild } from '../../src/runner/test-build.js';
import type { BuildContext, Profile } from '../../src/runner/types.js';
import { qemuFor } from '../../src/target/cross.js';
import { parseTriple } from '../../src/target/triple.js';
import { makePackage, REPO_ROOT } from '../support/package.js';

export const RECIPE_FIXTURES = path.join(REPO_ROOT, 'native-fixtures', 'recipes');
export const DEBUG: Profile = { name: 'debug', optLevel: '0', debugInfo: false };

/** A temp package with the named stand-in fixtures copied to `deps/<name>`. */
export function fixturePackage(...names: string[]): string {
  const root = makePackage({});
  for (const name of names) {
    cpSync(path.join(RECIPE_FIXTURES, name), path.join(root, 'deps', name), { recursive: true });
  }
  return root;
}

/**
 * The environment a recipe test builds with: the real compilers, no stray CFLAGS, and none of
 * the developer's KILN_* / PKG_CONFIG_* settings, plus `extra`.
 */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('KILN_') || k.startsWith('PKG_CONFIG') || /FLAGS$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, CC: 'gcc', CXX: 'g++', ...extra };
}

export interface RecipeContext {
  ctx: BuildContext;
  state: ContextState;
  events: BuildEvent[];
  /** Progress steps (`CC deps/zlib/adler32.c`). */
  steps(): string[];
}

/** The kilnjs/testing build over `root` with the recipe tests' environment. */
export function recipeContext(
  root: string,
  options: {
    env?: Record<string, string>;
    /** The whole environment instead of `testEnv(env)` (fake toolchains). */
    wholeEnv?: NodeJS.ProcessEnv;
    target?: string;
    profile?: Profile;
    outDir?: string;
  } = {},
): RecipeContext {
  const t = createInternalTestBuild({
    root,
    packageName: 'recipe-fixture',
    ...(options.target ? { target: options.target } : {}),
    profile: options.profile ?? DEBUG,
    ...(options.outDir ? { outDir: options.outDir } : {}),
    env: options.wholeEnv ?? crossEnv(testEnv(options.env), options.target),
  });
  return { ctx: t.ctx, state: t.state, events: t.events, steps: t.steps };
}

/** For a cross target, CC/CXX must not name the host compiler: discovery finds the cross one. */
function crossEnv(env: NodeJS.ProcessEnv, target: string | undefined): NodeJS.ProcessEnv {
  if (!target) return env;
  const { CC: _cc, CXX: _cxx, ...rest } = env;
  return rest;
}

/** Linker arguments for link info, in its order (static archives by path, as a build would). */
export function linkArgs(info: LinkInfo): string[] {
  return [
    ...info.searchPaths.map((s) => `-L${s.path}`),
    ...info.libs.map((l) => (l.kind === 'static' && l.path ? l.path : `-l${l.name}`)),
    ...info.ldflags,
    ...info.rpaths.map((r) => `-Wl,-rpath,${r}`),
  ];
}

/**
 * Compiles a small C program against `info`, runs it (under qemu for a cross target), and
 * returns its stdout.
 */
export async function runProgram(
  info: LinkInfo,
  code: string,
  options: { target?: string } = {},
): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-recipe-prog-'));
  const src = path.join(dir, 'prog.c');
  const exe = path.join(dir, 'prog');
  writeFileSync(src, code);
  const triple = options.target ? parseTriple(options.target) : undefined;
  const compiler = triple ? `${triple.arch}-linux-gnu-gcc` : 'gcc';
  await execa(compiler, [
    ...info.includes.map((i) => `-I${i}`),
    ...info.defines.map((d) => (d.value === undefined ? `-D${d.name}` : `-D${d.name}=${d.value}`)),
    ...info.cflags,
    src,
    '-o',
    exe,
    ...linkArgs(info),
  ]);
  const qemu = triple ? qemuFor(triple) : undefined;
  if (triple && !qemu) throw new Error(`no qemu runner for ${triple.triple}`);
  return (qemu ? await execa(qemu.program, [...qemu.args, exe]) : await execa(exe)).stdout;
}
