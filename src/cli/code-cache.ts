import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import { writeFileAtomicSync } from '../state/index.js';
import { userCacheDir } from '../util/cache-dir.js';
import { removeFile } from '../util/fs.js';

/** A CommonJS bundle of Kiln's own, loaded through V8's code cache. */
export interface CachedModule<T> {
  exports: T;
  /** Whether V8 took its compiled code from the cache (false on a first run, or when rejected). */
  fromCache: boolean;
  /**
   * Writes the cache when there was none to use, with the code compiled so far: call it after
   * the work, so the functions that ran are in it too. Never throws: a cache is an optimisation.
   */
  save(): void;
}

/** Entries kept per bundle: a few Kiln versions (or Node versions) side by side, no more. */
const KEEP = 4;

/**
 * Loads `file`, a CommonJS bundle of Kiln's own, with V8's code cache in the per-user cache
 * folder: compiled code is read back instead of parsing and compiling ~250 KB on every run
 * (~10 ms, and the functions compiled lazily while it runs). Node 22's module compile cache does
 * this for every module; Node 20 has only `vm.Script`'s `cachedData`.
 *
 * An entry is named by the file's identity (see `entryKey`), Node's version and the
 * architecture: V8 itself checks only the source's length, so content of the same length could
 * otherwise run stale code.
 */
export function requireWithCodeCache<T>(file: string): CachedModule<T> {
  const source = readFileSync(file, 'utf8');
  const dir = userCacheDir();
  const name = path.basename(file, path.extname(file));
  const entry = dir ? path.join(dir, 'code', `${name}-${entryKey(file)}.bin`) : undefined;
  let cachedData: Buffer | undefined;
  try {
    if (entry) cachedData = readFileSync(entry);
  } catch {
    // None yet: compiled from source, and saved after the run.
  }
  // CommonJS's own wrapper (Module.wrap): the bundle sees what a required file sees.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    fromCache,
    save: () => {
      if (fromCache || !entry) return;
      try {
        writeFileAtomicSync(entry, script.createCachedData());
        prune(path.dirname(entry), name);
      } catch {
        // An unwritable cache folder only costs the next run its compile.
      }
    },
  };
}

/**
 * Runs `run` on the exports of `file` (see `requireWithCodeCache`), then writes the cache when
 * there was none, with the functions the run compiled.
 */
export async function runWithCodeCache<T, R>(
  file: string,
  run: (exports: T) => Promise<R>,
): Promise<R> {
  const loaded = requireWithCodeCache<T>(file);
  const result = await run(loaded.exports);
  loaded.save();
  return result;
}

/**
 * The file by device, inode, size, mtime and ctime, with Node's version and the architecture
 * (see `requireWithCodeCache`), spelt out rather than hashed (no node:crypto to load). Any write
 * to the file moves its ctime, which only the kernel sets (an install that keeps a tarball's
 * fixed mtimes cannot set it back), so no rewrite keeps the key; hard links of one file (a
 * package store's) share it. Hashing the source instead would cost ~1 ms of every run.
 */
function entryKey(file: string): string {
  const st = statSync(file, { bigint: true });
  const identity = [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs];
  return [process.version, process.arch, ...identity].join('-');
}

/** Removes all but the newest KEEP entries of one bundle. */
function prune(dir: string, name: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.bin'))
    .map((f) => ({ file: path.join(dir, f), mtime: statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file } of entries.slice(KEEP)) removeFile(file);
}
