import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildContext } from '../runner/types.js';
import { writeFileAtomic } from '../state/index.js';
import { removeFile } from '../util/fs.js';
import { relativeInside } from '../util/paths.js';

export const COMPILE_COMMANDS = 'compile_commands.json';

/**
 * Where a step's compilation database goes: `build/compile_commands.json` by default, which
 * clangd finds (it looks in `build/` of every parent folder of a source) and which stays out of
 * the package root, so it is neither published nor in the way; a string option is a path from the
 * package root.
 */
export function compileCommandsFile(root: string, option: string | true | undefined): string {
  return typeof option === 'string'
    ? path.resolve(root, option)
    : path.join(root, 'build', COMPILE_COMMANDS);
}

type MergeContext = Pick<BuildContext, 'cache' | 'log' | 'packageRoot' | 'outDir'>;

/** One entry of a clangd compilation database (`arguments` form, not a shell string). */
export interface CompileCommandEntry {
  directory: string;
  file: string;
  arguments: string[];
  output: string;
}

/**
 * Merges this step's entries into `file`: entries for the same source file are replaced, every
 * other entry (other cc steps, other builds, hand-written ones) is kept. Steps of one build
 * may run in parallel, so the read-modify-write is serialised through a per-build queue.
 * The file is written only when its content changes, and atomically. The files this touches are
 * small: each is read with one synchronous call, not four trips through the thread pool.
 */
export function mergeCompileCommands(
  ctx: MergeContext,
  file: string,
  entries: readonly CompileCommandEntry[],
): Promise<void> {
  return ctx
    .cache('kiln:cc:compile-commands-queue', async () => ({
      tail: Promise.resolve(),
      written: new Set<string>(),
    }))
    .then((queue) => {
      const run = queue.tail.then(() => mergeNow(ctx, file, entries, queue.written));
      queue.tail = run.catch(() => undefined);
      return run;
    });
}

/**
 * What a step does once its compiles ran: every source and header they read becomes a tracked
 * input, and the first target's entries go into the compilation database unless `option` is false
 * (a universal build's other slices compile the same sources: one entry each is what clangd needs).
 */
export async function recordCompiles(
  ctx: MergeContext & Pick<BuildContext, 'trackFiles'>,
  root: string,
  option: string | boolean | undefined,
  results: readonly { inputs: Iterable<string>; entries: readonly CompileCommandEntry[] }[],
): Promise<void> {
  ctx.trackFiles(results.flatMap((r) => [...r.inputs]));
  if (option !== false) {
    await mergeCompileCommands(ctx, compileCommandsFile(root, option), results[0]!.entries);
  }
}

async function mergeNow(
  ctx: MergeContext,
  file: string,
  entries: readonly CompileCommandEntry[],
  written: Set<string>,
): Promise<void> {
  written.add(file);
  const atRoot = path.join(ctx.packageRoot, COMPILE_COMMANDS);
  // Not when another step of this build keeps its database there (`compileCommands: '...'`).
  if (!written.has(atRoot)) await removeOldDatabase(ctx, atRoot);
  if (file === path.join(ctx.packageRoot, 'build', COMPILE_COMMANDS)) {
    await keepOutOfTarball(ctx, path.join(ctx.packageRoot, 'build', '.npmignore'));
  }
  let existing: CompileCommandEntry[] = [];
  let before: string | undefined;
  try {
    before = readFileSync(file, 'utf8');
    const parsed: unknown = JSON.parse(before);
    if (Array.isArray(parsed)) existing = parsed as CompileCommandEntry[];
    else ctx.log.warn(`${file} is not a JSON array; replacing it`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      ctx.log.warn(`${file} could not be read as JSON (${(err as Error).message}); replacing it`);
    }
  }
  const mine = new Set(entries.map((e) => e.file));
  const merged = [...existing.filter((e) => !mine.has(e.file)), ...entries];
  const text = `${JSON.stringify(merged, null, 2)}\n`;
  if (text !== before) await writeFileAtomic(file, text);
}

/**
 * Earlier Kiln versions wrote the database at the package root, where `npm publish` picks it up
 * (absolute paths of the publisher's machine included). It is removed when it is Kiln's: every
 * entry's output lies under Kiln's out base (`build/kiln`, or `--out-dir`). A hand-written or
 * another tool's database has entries elsewhere and is kept.
 */
async function removeOldDatabase(ctx: MergeContext, file: string): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Absent (the usual case) or not JSON: either way not a database Kiln wrote.
    return;
  }
  // outDir is <out base>/<target>/<profile>: older builds of any target or profile count.
  const outBase = path.dirname(path.dirname(ctx.outDir));
  const isKilns =
    Array.isArray(parsed) &&
    parsed.length > 0 &&
    parsed.every((e: Partial<CompileCommandEntry> | null) => {
      if (typeof e?.output !== 'string' || typeof e.directory !== 'string') return false;
      return !!relativeInside(outBase, path.resolve(e.directory, e.output));
    });
  if (!isKilns) return;
  removeFile(file);
  ctx.log.info(`Removed ${COMPILE_COMMANDS} from the package root: it is now written to build/`);
}

const NPMIGNORE_LINE = COMPILE_COMMANDS;

/**
 * `build/` is published when a package has no `files` field and does not ignore it (node-gyp's
 * `build/Release/*.node` often is, on purpose), and `files: ["build/"]` publishes it too. An
 * `.npmignore` inside `build/` applies in both cases and to nothing else, so it keeps the
 * database (machine-specific absolute paths) out of the tarball. An existing one is added to,
 * never replaced.
 */
async function keepOutOfTarball(ctx: MergeContext, file: string): Promise<void> {
  let before: string | undefined;
  try {
    before = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (before?.split(/\r?\n/).some((l) => l.trim() === NPMIGNORE_LINE)) return;
  const text =
    before === undefined
      ? `# Written by kiln: the compilation database holds this machine's absolute paths.\n${NPMIGNORE_LINE}\n`
      : `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${NPMIGNORE_LINE}\n`;
  await writeFileAtomic(file, text);
  ctx.log.debug(`added ${NPMIGNORE_LINE} to ${file}`);
}
