import { readFile } from 'node:fs/promises';
import type { BuildContext } from '../../runner/types.js';
import { writeFileAtomic } from '../../state/index.js';

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
 * The file is written only when its content changes, and atomically.
 */
export function mergeCompileCommands(
  ctx: Pick<BuildContext, 'cache' | 'log'>,
  file: string,
  entries: readonly CompileCommandEntry[],
): Promise<void> {
  return ctx
    .cache('kiln:cc:compile-commands-queue', async () => ({ tail: Promise.resolve() }))
    .then((queue) => {
      const run = queue.tail.then(() => mergeNow(ctx, file, entries));
      queue.tail = run.catch(() => undefined);
      return run;
    });
}

async function mergeNow(
  ctx: Pick<BuildContext, 'log'>,
  file: string,
  entries: readonly CompileCommandEntry[],
): Promise<void> {
  let existing: CompileCommandEntry[] = [];
  let before: string | undefined;
  try {
    before = await readFile(file, 'utf8');
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
