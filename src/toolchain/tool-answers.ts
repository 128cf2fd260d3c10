import { closeSync, existsSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';
import { fsNow } from '../state/clock.js';
import { type FileStamp, stamp, stampChangeSync, statOrUndefined } from '../state/stamp.js';
import {
  isRecord,
  isRecordOf,
  isStamp,
  readStateSync,
  type StateKind,
  writeState,
} from '../state/store.js';
import { userCacheDir } from '../util/cache-dir.js';
import { calledAsAnother, WRAPPERS } from './masquerade.js';
import { findExecutable } from './which.js';

/** What a program said when asked (`cmake --version`): all `kiln doctor` shows of it. */
export interface ToolAnswer {
  /** Its exit status. */
  status: number;
  /** The first non-blank line of its stdout, then stderr, trimmed; null when it printed none. */
  line: string | null;
}

/** A remembered answer and the identity of the program file that gave it. */
interface Entry extends ToolAnswer {
  /** The program file after symlinks; its inode and device, and a stamp of it. */
  real: string;
  ino: number;
  dev: number;
  stamp: FileStamp;
}

const isEntry = (v: unknown): boolean =>
  isRecord(v) &&
  typeof v.status === 'number' &&
  (v.line === null || typeof v.line === 'string') &&
  typeof v.real === 'string' &&
  typeof v.ino === 'number' &&
  typeof v.dev === 'number' &&
  isStamp(v.stamp);

const ANSWERS: StateKind<Record<string, Entry>> = {
  kind: 'kiln-tool-answers',
  version: 1,
  valid: (d): d is Record<string, Entry> => isRecordOf(d, isEntry),
};

export const TOOL_ANSWERS_FILE = 'tool-answers.json';

/**
 * Enough for every tool of a few machines' worth of doctor runs; stand-in programs in temporary
 * folders (tests, CI) would otherwise grow the file forever. The oldest answers go first.
 */
const MAX_ENTRIES = 256;

/**
 * Programs that, called under another name, run a program they choose at run time (the next
 * `gcc` on PATH, the version a config file or variable selects): ccache's masquerade links,
 * mise's and volta's shims, rustup's proxies. Called by their own name they answer for themselves.
 */
const DISPATCHERS = new Set([...WRAPPERS, 'mise', 'rtx', 'rustup', 'volta-shim', 'proto-shim']);

/** Version managers keep their per-tool launchers in a `shims` folder (pyenv, rbenv, asdf, mise). */
const SHIM_DIR = /(^|[\\/])shims[\\/]/;

/** The answer's locale: a program may translate what it prints. */
const LOCALE_VARS = ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE'];

interface Program {
  /** The absolute path it is called by (its name matters to multi-call programs: lld-link). */
  path: string;
  real: string;
  st: Stats;
}

/**
 * Whether the program's answer can change while its own file does not, judged by where it is
 * and what it is linked to (a script is recognised by its content, on a miss only).
 */
function dispatches(found: string, real: string): boolean {
  if (calledAsAnother(found, real, DISPATCHERS)) return true;
  if (SHIM_DIR.test(found) || SHIM_DIR.test(real)) return true;
  // macOS's /usr/bin/cc, clang, make, ar... are xcrun launchers: DEVELOPER_DIR and
  // `xcode-select --switch` choose the toolchain they run.
  if (process.platform === 'darwin' && found.startsWith('/usr/bin/')) return true;
  // Scoop's shims are one launcher copied under each name, with the target in a `.shim` file;
  // Chocolatey's launch the program their install named.
  if (process.platform === 'win32') {
    if (existsSync(found.replace(/\.exe$/i, '.shim'))) return true;
    if (/[\\/]chocolatey[\\/]bin[\\/]/i.test(found)) return true;
  }
  return false;
}

/** ELF, Mach-O (thin and universal, either byte order) and PE files start with these bytes. */
const NATIVE_MAGIC = ['7f454c46', 'feedface', 'feedfacf', 'cefaedfe', 'cffaedfe', 'cafebabe'];

/**
 * Whether `file` is a compiled program. Anything else is a script (`#!`, or a shell script
 * without one, which execvp hands to /bin/sh): what it runs is chosen anew each time.
 */
function isNativeProgram(file: string): boolean {
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
  } finally {
    closeSync(fd);
  }
  return NATIVE_MAGIC.includes(head.toString('hex')) || head.toString('latin1', 0, 2) === 'MZ';
}

/**
 * Answers of programs to fixed questions (`gcc --version`), remembered in the per-user cache so
 * a second `kiln doctor` spawns nothing, as cargo remembers `rustc -vV`. An answer is keyed by
 * the path the program is called by, the arguments and the locale, and is valid only while the
 * program's file (after symlinks) keeps its inode, device, size and mtime (content decides
 * within the mtime's tick, the stamps' racily-clean rule). Scripts, shims and dispatching
 * wrappers are asked every time. A cache that cannot be read or written is no cache.
 */
export class ToolAnswers {
  private readonly known: Record<string, Entry>;
  private readonly added = new Map<string, Entry>();
  private takenAt: number | undefined;

  /** `dir` undefined: nothing is remembered. */
  constructor(private readonly dir: string | undefined) {
    this.known = (dir && readStateSync(path.join(dir, TOOL_ANSWERS_FILE), ANSWERS)) || {};
  }

  /** The answers kept in the user's cache folder (`KILN_CACHE_DIR`, see `userCacheDir`). */
  static forUser(env: NodeJS.ProcessEnv = process.env): ToolAnswers {
    return new ToolAnswers(userCacheDir(env));
  }

  /**
   * What `file args` answers: remembered, or `run` (which asks the program, and gives undefined
   * when it did not exit by itself: not found, killed, timed out; that is never remembered).
   */
  async ask(
    file: string,
    args: readonly string[],
    run: () => Promise<ToolAnswer | undefined>,
  ): Promise<ToolAnswer | undefined> {
    const found = findExecutable(file, process.cwd());
    // Not there: spawning it could only fail to start (its answer is "does not run").
    if (!found && pathIsComplete(file)) return undefined;
    const program = found && this.dir ? identify(found) : undefined;
    if (!program) return run();
    const key = JSON.stringify([
      program.path,
      args,
      LOCALE_VARS.map((v) => process.env[v] ?? null),
    ]);
    const known = this.added.get(key) ?? this.known[key];
    if (known && same(program.real, program.st, known)) {
      if (known.stamp.racy) await this.record(key, program, known);
      return { status: known.status, line: known.line };
    }
    let takenAt: number;
    try {
      if (!isNativeProgram(program.real)) return run();
      takenAt = this.now();
    } catch {
      return run();
    }
    // The file is hashed while the program runs. The answer is kept only if the file stamped is
    // the one stat'ed before it ran and still there after: else which program answered is unknown.
    const [answer, fileStamp] = await Promise.all([
      run(),
      stamp(program.real, takenAt).catch(() => undefined),
    ]);
    if (
      answer &&
      fileStamp &&
      fileStamp.size === program.st.size &&
      fileStamp.mtimeMs === program.st.mtimeMs
    ) {
      const known = { real: program.real, ...identityOf(program.st), stamp: fileStamp };
      if (same(program.real, statOrUndefined(program.real), known)) {
        this.added.set(key, { ...answer, ...known });
      }
    }
    return answer;
  }

  /** Saves what was learnt, merged with what another run saved meanwhile; never fails. */
  async save(): Promise<void> {
    if (!this.dir || this.added.size === 0) return;
    const file = path.join(this.dir, TOOL_ANSWERS_FILE);
    try {
      const current = readStateSync(file, ANSWERS) ?? {};
      for (const key of this.added.keys()) delete current[key];
      const all = [...Object.entries(current), ...this.added].slice(-MAX_ENTRIES);
      await writeState(file, ANSWERS, Object.fromEntries(all));
    } catch {
      // Only a speed-up: the next run asks again.
    }
  }

  /**
   * Re-stamps a program whose stamp was taken within its mtime's tick (so each check hashed it)
   * once that tick has passed: later checks are a stat again.
   */
  private async record(key: string, program: Program, known: Entry): Promise<void> {
    try {
      const fresh = await stamp(program.real, this.now());
      if (fresh.hash === known.stamp.hash && !fresh.racy) {
        this.added.set(key, { ...known, ...identityOf(program.st), stamp: fresh });
      }
    } catch {
      // Stays racy: checked by content next time too.
    }
  }

  /** The filesystem's "now", for the racily-clean rule; throws when the folder is not writable. */
  private now(): number {
    this.takenAt ??= fsNow(this.dir!);
    return this.takenAt;
  }
}

/** Whether the program file (stat'ed as `st`) is still the one that answered. */
function same(
  real: string,
  st: Stats | undefined,
  e: Pick<Entry, 'real' | 'ino' | 'dev' | 'stamp'>,
): boolean {
  if (!st || e.real !== real || e.ino !== st.ino || e.dev !== st.dev) return false;
  try {
    return stampChangeSync(real, e.stamp, () => st) === undefined;
  } catch {
    return false;
  }
}

function identityOf(st: Stats): { ino: number; dev: number } {
  return { ino: st.ino, dev: st.dev };
}

/**
 * Whether `findExecutable` not finding `file` means spawning it fails too. Spawning searches PATH
 * as execvp does, which also tries the current folder for an empty entry and a default path when
 * PATH is unset; Windows looks in the current folder first and tries other extensions.
 */
function pathIsComplete(file: string): boolean {
  if (process.platform === 'win32') return false;
  if (file.includes('/')) return true;
  const PATH = process.env.PATH;
  return !!PATH && !PATH.split(path.delimiter).includes('');
}

/** The program found at `found`, as it is run; undefined when its answers may not be kept. */
function identify(found: string): Program | undefined {
  let real: string;
  try {
    real = realpathSync.native(found);
  } catch {
    return undefined;
  }
  const st = statOrUndefined(real);
  if (!st || dispatches(found, real)) return undefined;
  return { path: found, real, st };
}
