import { readdirSync, realpathSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KilnError } from '../errors.js';
import { OUT_BASE, outBaseFor, resolveLocation } from '../location/index.js';
import { acquireLock } from '../runner/lock.js';
import {
  isOurOutBase,
  OUT_BASE_MARKER,
  OUT_DIR_MARKER,
  outDirOwner,
  outputChanged,
  type RecordedOutput,
  readRecordedOutputs,
} from '../runner/out-dir.js';
import { readPackageInfo } from '../runner/package.js';
import { parseTriple } from '../target/triple.js';
import { displayPath, isInside, pathExists } from '../util/fs.js';
import { relativeInside } from '../util/paths.js';
import { colorsFor } from './colors.js';
import { createReporter } from './reporter.js';

export interface CleanArgs {
  cwd?: string | undefined;
  target?: string | undefined;
  profile?: string | undefined;
  release?: boolean | undefined;
  outDir?: string | undefined;
  all?: boolean | undefined;
  json?: boolean | undefined;
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
}

const REFUSE_HINT =
  'kiln clean removes only folders kiln build created (an outDir holds .kiln/out-dir.json). Check --out-dir and --cwd; delete the folder yourself if you really mean to.';

/**
 * `kiln clean`: removes one target+profile outDir, or with --all every outDir under the out
 * base, plus the copies those builds recorded elsewhere in the package (the addon's
 * `build/Release/<name>.node`). Only what Kiln marked as its own goes, and only while no
 * build holds the outDir's lock.
 */
export async function cleanCommand(args: CleanArgs): Promise<number> {
  const root = path.resolve(args.cwd ?? process.cwd());
  if (args.outDir !== undefined && args.outDir.trim() === '') {
    throw new KilnError('USAGE', 'Refusing to clean: --out-dir is empty', {
      hint: 'Pass the folder given to `kiln build --out-dir`, or leave the flag out for build/kiln. An unset shell variable ("$OUT_DIR") expands to nothing.',
    });
  }
  const given = args.outDir ?? OUT_BASE;
  const base = outBaseFor(root, given);
  refuseProtected(base, root, `--out-dir ${given}`);
  const run = new Clean(root, args);

  if (args.all) {
    if (!pathExists(base)) return run.nothing(base);
    const realBase = realish(base);
    const ours = isOurOutBase(root, realBase);
    const outDirs = ourOutDirs(root, realBase, (dir, reason) => run.keep(dir, reason));
    if (!ours && outDirs.length === 0) {
      throw new KilnError(
        'USAGE',
        `Refusing to remove ${displayPath(base, root)}: Kiln did not create it (no ${OUT_BASE_MARKER} in it and no outDir with ${OUT_DIR_MARKER} under it)`,
        { hint: REFUSE_HINT },
      );
    }
    run.peers(outDirs, outDirs);
    for (const dir of outDirs) {
      refuseProtected(dir, root, displayPath(dir, root));
      await run.removeOutDir(dir);
    }
    // Target folders left empty (now or by an earlier clean that kept a user's folder in one).
    for (const dir of subdirs(realBase)) {
      if (isTriple(path.basename(dir))) await run.prune(dir, realBase);
    }
    if (ours) await run.removeBase(realBase);
    return run.finish();
  }

  const { outDir } = resolveLocation({
    cwd: root,
    target: args.target,
    profile: args.profile,
    release: args.release,
    outBase: args.outDir,
  });
  if (!pathExists(outDir)) return run.nothing(outDir);
  refuseProtected(outDir, root, displayPath(outDir, root));
  const real = realish(outDir);
  const owner = outDirOwner(root, real);
  if (!owner.ours) {
    throw new KilnError(
      'USAGE',
      `Refusing to remove ${displayPath(outDir, root)}: ${owner.reason}`,
      {
        hint: REFUSE_HINT,
      },
    );
  }
  // Sibling outDirs (other profiles) may have written the same copy (prebuilds/ is shared).
  run.peers(ourOutDirs(root, realish(base)), [real]);
  await run.removeOutDir(real);
  await run.prune(path.dirname(real), realish(base));
  return run.finish();
}

/** The outDirs of this package under `base`: `<base>/<target>/<profile>` with Kiln's marker. */
function ourOutDirs(
  root: string,
  base: string,
  onForeign?: (dir: string, reason: string) => void,
): string[] {
  const found: string[] = [];
  for (const target of subdirs(base)) {
    for (const dir of subdirs(target)) {
      const owner = outDirOwner(root, dir);
      if (owner.ours) found.push(dir);
      else if (pathExists(path.join(dir, '.kiln'))) onForeign?.(dir, owner.reason);
    }
  }
  return found;
}

/** What one clean removed and kept, printed as it goes (or as one JSON object at the end). */
class Clean {
  private readonly removed: string[] = [];
  private readonly kept: { path: string; reason: string }[] = [];
  private readonly realRoot: string;
  private readonly reporter;
  private readonly packageName: string;
  /** What the other outDirs recorded, read before any is removed. */
  private readonly records = new Map<string, Map<string, RecordedOutput>>();
  private removing = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly args: CleanArgs,
  ) {
    this.realRoot = realish(root);
    this.reporter = createReporter({
      json: !!args.json,
      quiet: !!args.quiet,
      verbose: !!args.verbose,
    });
    this.packageName = readPackageInfo(root).name;
  }

  /** The package's outDirs under the base, and those this clean removes. */
  peers(all: readonly string[], removing: readonly string[]): void {
    for (const dir of all) {
      this.records.set(
        dir,
        new Map(readRecordedOutputs(this.root, dir).map((o) => [o.path, o] as const)),
      );
    }
    this.removing = new Set(removing);
  }

  /** Another outDir whose record matches `file` as it is now (it wrote the current copy). */
  private otherWriter(file: string, outDir: string, removed: boolean): string | undefined {
    for (const [dir, record] of this.records) {
      if (dir === outDir || this.removing.has(dir) !== removed) continue;
      const output = record.get(file);
      if (output && outputChanged(output) === undefined) return dir;
    }
    return undefined;
  }

  nothing(dir: string): number {
    if (this.args.json) this.finish();
    else if (!this.args.quiet) {
      process.stdout.write(`Nothing to remove: ${displayPath(dir, this.root)} does not exist\n`);
    }
    return 0;
  }

  private show(file: string): string {
    // Paths below the real root (a symlinked checkout) still print relative to the package.
    return relativeInside(this.realRoot, file) || displayPath(file, this.root);
  }

  private removedOne(file: string): void {
    this.removed.push(file);
    if (!this.args.json && !this.args.quiet) process.stdout.write(`Removed ${this.show(file)}\n`);
  }

  /** A warning on stderr, or (`warn` false: expected, nothing to act on) a line on stdout. */
  keep(file: string, reason: string, warn = true): void {
    this.kept.push({ path: file, reason });
    if (this.args.json) return;
    if (!warn) {
      if (!this.args.quiet) process.stdout.write(`Kept ${this.show(file)}: ${reason}\n`);
      return;
    }
    const c = colorsFor(process.stderr);
    process.stderr.write(`${c.yellow('Kept')} ${this.show(file)}: ${reason}\n`);
  }

  /**
   * Under the outDir's build lock: the recorded copies outside it whose content is still what
   * the build wrote, then the outDir itself.
   */
  async removeOutDir(outDir: string): Promise<void> {
    const lock = await acquireLock(outDir, (message) =>
      this.reporter.onEvent({ type: 'waiting', package: this.packageName, message }),
    );
    const emptied = new Set<string>();
    try {
      for (const output of readRecordedOutputs(this.root, outDir)) {
        const file = output.path;
        if (isInside(file, outDir)) continue;
        if (!isInside(file, this.root) && !isInside(file, this.realRoot)) {
          if (pathExists(file)) this.keep(file, 'it is outside the package');
          continue;
        }
        const changed = outputChanged(output);
        if (changed === 'missing') continue;
        const kept = this.otherWriter(file, outDir, false);
        if (kept) {
          this.keep(file, `it is also an output of ${this.show(kept)}`, false);
          continue;
        }
        if (changed) {
          // Written since by another outDir this clean removes too: removed with that one.
          if (this.otherWriter(file, outDir, true)) continue;
          this.keep(file, `${changed}; remove it yourself if it is not needed`);
          continue;
        }
        await rm(file, { force: true });
        this.removedOne(file);
        emptied.add(path.dirname(file));
      }
      // Everything but the lock file first: a build that starts meanwhile waits for the lock
      // instead of writing into a half-removed folder.
      for (const entry of await readdir(outDir)) {
        if (entry !== '.kiln') await rm(path.join(outDir, entry), { recursive: true, force: true });
      }
      const state = path.join(outDir, '.kiln');
      for (const entry of await readdir(state).catch(() => [])) {
        if (entry !== 'lock') await rm(path.join(state, entry), { recursive: true, force: true });
      }
    } finally {
      await lock.release();
    }
    await rmdirIfEmpty(path.join(outDir, '.kiln'));
    if (await rmdirIfEmpty(outDir)) this.removedOne(outDir);
    else if (pathExists(path.join(outDir, '.kiln', 'lock'))) {
      this.keep(outDir, 'a build started in it while it was being removed');
    } else if (pathExists(outDir)) this.keep(outDir, 'some of its files could not be removed');
    for (const dir of emptied) {
      await this.prune(dir, isInside(dir, this.root) ? this.root : this.realRoot);
    }
  }

  /** The out base Kiln created: removed once nothing but its marker is left. */
  async removeBase(base: string): Promise<void> {
    const left = readdirSync(base).filter((e) => e !== OUT_BASE_MARKER);
    if (left.length > 0) {
      this.keep(base, `it holds files Kiln did not create (${left.sort().join(', ')})`);
      return;
    }
    await rm(path.join(base, OUT_BASE_MARKER), { force: true });
    if (await rmdirIfEmpty(base)) this.removedOne(base);
    if (isInside(base, this.realRoot)) await this.prune(path.dirname(base), this.realRoot);
  }

  /** Removes `dir` and its parents while this clean left them empty, stopping below `stop`. */
  async prune(dir: string, stop: string): Promise<void> {
    let current = dir;
    while (isInside(current, stop) && current !== stop) {
      if (!(await rmdirIfEmpty(current))) return;
      this.removedOne(current);
      current = path.dirname(current);
    }
  }

  finish(): number {
    if (this.args.json) {
      process.stdout.write(
        `${JSON.stringify({ type: 'clean', removed: this.removed, kept: this.kept })}\n`,
      );
    }
    return 0;
  }
}

/**
 * Refuses the folders no clean may ever remove, whatever marker they hold: the filesystem root,
 * the home folder, the package root and its ancestors, also when reached through a symlink.
 */
function refuseProtected(dir: string, root: string, what: string): void {
  const real = realish(dir);
  const roots = [...new Set([path.resolve(root), realish(root)])];
  const homes = [...new Set([path.resolve(os.homedir()), realish(os.homedir())])];
  for (const candidate of [...new Set([path.resolve(dir), real])]) {
    let why: string | undefined;
    if (path.parse(candidate).root === candidate) why = 'it is the filesystem root';
    else if (homes.includes(candidate)) why = 'it is your home folder';
    else if (roots.includes(candidate)) why = 'it is the package root';
    else if (roots.some((r) => isInside(r, candidate))) why = `it contains the package ${root}`;
    if (why) {
      const via = candidate !== path.resolve(dir) ? `, a symlink to ${candidate}` : '';
      throw new KilnError(
        'USAGE',
        `Refusing to remove ${path.resolve(dir)} (${what})${via}: ${why}`,
        { hint: REFUSE_HINT },
      );
    }
  }
}

/** The real path of `p`, resolving symlinks in the part that exists. */
function realish(p: string): string {
  const abs = path.resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(realish(parent), path.basename(abs));
  }
}

function isTriple(name: string): boolean {
  try {
    parseTriple(name);
    return true;
  } catch {
    return false;
  }
}

/** Real subfolders only: a symlink in the out base is never followed into. */
function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

async function rmdirIfEmpty(dir: string): Promise<boolean> {
  try {
    await rmdir(dir);
    return true;
  } catch {
    // Not empty (or already gone): left as it is.
    return false;
  }
}
