import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { isKilnError, KilnError } from '../errors.js';
import type { BuildContext, ExecResult } from '../runner/types.js';
import {
  type ChangeOracle,
  type FileStamp,
  fsNow,
  stampWrittenSync,
  statOrUndefined,
  tempPath,
} from '../state/index.js';
import { distributedSlots } from '../toolchain/distcc.js';
import { missingSdkHeader, sdkHint } from '../toolchain/msvc/sdk.js';
import { parseShowIncludes } from '../toolchain/msvc/show-includes.js';
import { shellJoin } from '../toolchain/shellwords.js';
import type { Tool } from '../toolchain/types.js';
import { removeFile } from '../util/fs.js';
import { nextTurn } from '../util/next-turn.js';
import { resolvePath } from '../util/paths.js';
import type { CompileCommand } from './command.js';
import { parseDepfile } from './depfile.js';
import { errorsFirst, stripAnsi, WarningCollector, wantsDiagnosticsColor } from './diagnostics.js';
import { relPath, type Source } from './sources.js';
import type { ObjectRecord } from './state.js';

export interface CompileJob {
  source: Source;
  /** The command as recorded and shown (final object path). */
  command: CompileCommand;
  /**
   * The command as run: it writes a uniquely named temporary object and depfile, renamed into
   * place only when the compile succeeded, so neither a failed compile nor a compiler that
   * outlived a killed build can leave a half-written or stale object under the real name.
   */
  run: CompileCommand;
  /** Absolute final object path, and the temporary object and depfile the compile writes. */
  object: string;
  tempObject: string;
  depfile: string;
  /** The object path relative to the step directory (its key in the state file). */
  key: string;
  /** Hash of the command and compiler identity, recorded once the compile succeeds. */
  commandHash: string;
  /** The compiler (or its wrapper) that runs it: a distcc wrapper takes farm slots. */
  tool?: Tool | undefined;
}

/**
 * Called after each successful compile with its record, or undefined when an input changed
 * while it compiled (then the object is used in this build but never trusted by a later one).
 */
export type OnCompiled = (
  job: CompileJob,
  record: ObjectRecord | undefined,
  inputs: string[],
) => void;

/** Temporary object and depfile names for a compile into `object`. */
export function tempNames(object: string): { tempObject: string; depfile: string } {
  const tempObject = tempPath(object);
  return { tempObject, depfile: `${tempObject}.d` };
}

const STEP_NAME: Record<Source['language'], string> = {
  c: 'CC',
  'c++': 'CXX',
  asm: 'AS',
  'asm-cpp': 'AS',
};

/** How a step's compiler warnings are reported. */
export interface WarningReport {
  /** The step they belong to (`cc:core`, `addon:binding`). */
  step: string;
  /**
   * Every object of the step in source order, compiled in this run or not: the warnings of an
   * object that is up to date are shown again from what its compile printed (kept in its
   * record, as Cargo replays them), so a rebuild that recompiles one file does not lose the
   * others' from the output and the manifest.
   */
  objects: readonly { rel: string; object: string; output?: string | undefined }[];
}

/**
 * Compiles every job in parallel. The build's job pool (shared by every step and package) limits
 * how many run at once: each compile holds one slot, so two steps of a build (or two packages of
 * a workspace) share the machine instead of each assuming it has all of it. The first failure
 * aborts the rest (running compilers are signalled, queued ones never start) and is thrown.
 *
 * What successful compiles printed is then reported as `warning` directives (so they reach the
 * manifest too): one per diagnostic, a header's warning seen by many sources once with their
 * count, in source order whatever order the compiles finished in.
 */
export async function compileAll(
  ctx: BuildContext,
  jobs: readonly CompileJob[],
  oracle: ChangeOracle,
  onCompiled: OnCompiled,
  report: WarningReport = {
    step: 'cc',
    objects: jobs.map((j) => ({ rel: j.source.rel, object: j.object })),
  },
): Promise<void> {
  const color = wantsDiagnosticsColor();
  const printed = new Map<string, string>();
  let failure: unknown;
  if (jobs.length > 0) {
    failure = await compileJobs(ctx, jobs, oracle, color, (job, done) => {
      printed.set(job.object, done.output);
      onCompiled(job, done.record, done.inputs);
    });
  }
  // Also when another source failed: these compiled, and their warnings are not in the error.
  const compiled = new Set(jobs.map((j) => j.object));
  const collector = new WarningCollector();
  for (const o of report.objects) {
    const output = compiled.has(o.object) ? printed.get(o.object) : o.output;
    if (output) collector.add(o.rel, color ? output : stripAnsi(output), ctx.packageRoot);
  }
  for (const w of collector.warnings()) {
    ctx.emit({
      type: 'warning',
      message: w.message,
      step: report.step,
      count: w.sources.length,
      ...(color ? { color: w.color } : {}),
    });
  }
  if (failure !== undefined) throw failure;
  if (ctx.signal.aborted) {
    throw new KilnError('INTERRUPTED', 'the build was interrupted while compiling', {
      hint: 'Objects compiled so far are kept; the next build continues from them.',
    });
  }
}

/** Runs the compiles; returns the first failure (undefined when all succeeded). */
async function compileJobs(
  ctx: BuildContext,
  jobs: readonly CompileJob[],
  oracle: ChangeOracle,
  color: boolean,
  onDone: (job: CompileJob, done: Compiled) => void,
): Promise<unknown> {
  // Directories first, so no compile below waits on another's mkdir (one call each when they
  // exist, as they do on every build after the first).
  for (const dir of new Set(jobs.map((j) => path.dirname(j.object)))) {
    mkdirSync(dir, { recursive: true });
  }
  const controller = new AbortController();
  const forward = () => controller.abort(ctx.signal.reason);
  if (ctx.signal.aborted) forward();
  ctx.signal.addEventListener('abort', forward, { once: true });
  let failure: unknown;
  const fail = (err: unknown) => {
    // A compile stopped by the abort is a casualty, not a second failure.
    if (controller.signal.aborted && (!isKilnError(err) || err.code === 'INTERRUPTED')) return;
    if (failure === undefined) failure = err;
    controller.abort(err);
  };
  // At most `ctx.jobs` compiles of this step wait on the shared pool at once (each waiter holds
  // an abort listener on the build's signal); workers take sources in order from one queue.
  // Compiles sent to a distcc farm take slots of the farm, not of the local cores.
  const slots = distributedSlots(jobs[0]!.tool?.wrapper);
  const farm = slots === undefined ? undefined : ctx.distributedJobs?.(slots);
  const lanes = farm?.size ?? ctx.jobs;
  const withSlot = farm
    ? <T>(fn: () => Promise<T>) => farm.run(fn)
    : <T>(fn: () => Promise<T>) => ctx.withJobs(1, fn);
  const queue = largestFirst(jobs);
  let next = 0;
  // What a compile leaves to do once its compiler has exited (read its depfile, stamp its
  // inputs, move the object into place) runs beside the next compile, not before it: the slot
  // is the compiler's, and a worker that waited for the bookkeeping would leave a core idle.
  const recording: Promise<void>[] = [];
  const worker = async () => {
    while (next < queue.length && !controller.signal.aborted) {
      const job = queue[next++]!;
      const ran = await compileOne(ctx, job, controller.signal, fail, color, withSlot).catch(
        (err: unknown) => {
          fail(err);
          return undefined;
        },
      );
      if (!ran) continue;
      // Recorded once the next compile has spawned: the record's synchronous start (the
      // depfile read, each new header stat-ed and hashed) would otherwise come first.
      recording.push(
        nextTurn()
          .then(() => ran.record(oracle))
          .then((done) => {
            if (done) onDone(job, done);
          }, fail),
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(lanes, jobs.length) }, worker));
    await Promise.all(recording);
  } finally {
    ctx.signal.removeEventListener('abort', forward);
  }
  return failure;
}

/**
 * The compiles in the order they start: the largest sources first (ties in source order). A
 * build ends when its longest compile does; started last, a large unit would run alone on one
 * core while the others idle, so it starts first and the small ones fill in around it
 * (longest-processing-time-first scheduling, with the source's size standing in for its cost).
 */
function largestFirst(jobs: readonly CompileJob[]): CompileJob[] {
  return jobs
    .map((job, i) => ({ job, size: statOrUndefined(job.source.file)?.size ?? 0, i }))
    .sort((a, b) => b.size - a.size || a.i - b.i)
    .map((e) => e.job);
}

interface Compiled {
  /** The object's record; undefined when an input changed while it compiled. */
  record: ObjectRecord | undefined;
  inputs: string[];
  /** What the compiler printed (warnings, notes), trimmed; empty when nothing. */
  output: string;
}

/**
 * One compile, in its pool slot; undefined when it was skipped because the step was aborted
 * first. What it returns records the result (`record`), which runs after the slot is released;
 * it resolves to undefined when the compile failed.
 */
async function compileOne(
  ctx: BuildContext,
  job: CompileJob,
  signal: AbortSignal,
  fail: (err: unknown) => void,
  color: boolean,
  withSlot: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<{ record(oracle: ChangeOracle): Promise<Compiled | undefined> } | undefined> {
  // Inputs are judged against the moment the compile starts: one that changes after it may not
  // be what the compiler read.
  let usedFrom = 0;
  // Hold the pool slot here rather than inside exec, so a compile queued behind a failure is
  // dropped before it spawns even if the spawner does not know about our abort signal.
  const result = await withSlot(async () => {
    if (signal.aborted) return undefined;
    ctx.progress.step(STEP_NAME[job.source.language], job.source.rel);
    usedFrom = fsNow(ctx.outDir);
    // Colour changes the diagnostics, not the object: it is added here, outside the command
    // that is hashed and written to compile_commands.json.
    const args = color ? [...job.run.args, ...job.command.colorArgs] : job.run.args;
    const r = await ctx.exec(job.run.program, args, {
      cwd: ctx.packageRoot,
      jobs: 0,
      directives: false,
      allowFailure: true,
      signal,
      // English diagnostics whatever the user's locale (cc-rs does the same).
      env: { ...job.run.env, LC_ALL: 'C' },
    });
    // Abort while still holding the slot: the next queued compile must see it and not start.
    if (r.exitCode !== 0 && !signal.aborted) fail(compileError(job, r, ctx));
    return r;
  });
  if (!result) return undefined;
  return { record: (oracle) => recordCompile(ctx, job, result, usedFrom, oracle) };
}

/** What a finished compile made of: its inputs stamped, its object moved into place. */
async function recordCompile(
  ctx: BuildContext,
  job: CompileJob,
  result: ExecResult,
  usedFrom: number,
  oracle: ChangeOracle,
): Promise<Compiled | undefined> {
  try {
    if (result.exitCode !== 0) return undefined;
    const { output, headers } = compilerOutput(job, result);
    const inputs = headers
      ? withSource(
          job,
          headers.map((h) => resolvePath(ctx.packageRoot, h)),
        )
      : readDeps(job, ctx.packageRoot);
    const deps: Record<string, FileStamp> = {};
    let unstable: string | undefined;
    const takenAt = fsNow(ctx.outDir);
    // Stamped side by side (a unit reads tens of headers), recorded in the depfile's order.
    const stamps = await Promise.all(inputs.map((file) => oracle.record(file, usedFrom, takenAt)));
    inputs.forEach((file, i) => {
      const s = stamps[i]!;
      if (s.unstable || s.hash === null) unstable ??= file;
      deps[file] = s;
    });
    renameSync(job.tempObject, job.object);
    oracle.forget(job.object);
    const object = stampWrittenSync(job.object);
    if (unstable) {
      ctx.log.debug(
        `${job.source.rel}: ${relPath(ctx.packageRoot, unstable)} changed while it compiled; rebuilt next time`,
      );
    }
    const record: ObjectRecord | undefined = unstable
      ? undefined
      : { command: job.commandHash, deps, object, ...(output ? { output } : {}) };
    return { record, inputs, output };
  } finally {
    removeFile(job.depfile);
    removeFile(job.tempObject);
  }
}

/**
 * COMPILE_FAILED for one source: the message names the source and the first error (its path made
 * relative to the package), `details` has every diagnostic with the errors first, `command` is
 * the exact command line, quoted for pasting into a shell.
 */
function compileError(
  job: CompileJob,
  result: ExecResult,
  ctx: Pick<BuildContext, 'packageRoot' | 'target' | 'host'>,
): KilnError {
  const root = ctx.packageRoot;
  const diagnostics = errorsFirst(compilerOutput(job, result).output);
  const sdkHeader = job.run.showIncludes === undefined ? undefined : missingSdkHeader(diagnostics);
  if (sdkHeader) {
    return new KilnError(
      'COMPILE_FAILED',
      `failed to compile ${job.source.rel} — the Windows SDK headers are missing ('${sdkHeader}' not found)`,
      {
        details: diagnostics,
        command: shellJoin([job.command.program, ...job.command.args]),
        hint: sdkHint(ctx.target, ctx.host, 'headers'),
      },
    );
  }
  const m =
    /^(.*?):(\d+(?::\d+)?): (?:fatal )?error: (.*)$/m.exec(diagnostics) ??
    // cl.exe and clang-cl: `src\a.c(3): error C2065: ...`, `src/a.c(3,10): error: ...`
    /^(.*?)\((\d+(?:,\d+)?)\): (?:fatal )?error(?: \w+)?: (.*)$/m.exec(diagnostics);
  const first = m
    ? `${relPath(root, path.resolve(root, m[1]!))}:${m[2]!.replace(',', ':')}: ${m[3]}`
    : undefined;
  return new KilnError(
    'COMPILE_FAILED',
    `failed to compile ${job.source.rel}${first ? ` — ${first}` : ''}`,
    {
      details:
        diagnostics || `the compiler exited with code ${result.exitCode} and printed nothing`,
      command: shellJoin([job.command.program, ...job.command.args]),
      hint: 'Fix the error in the source (run the command shown to reproduce it); the previous library is unchanged.',
    },
  );
}

/**
 * What the compiler printed, for the user, and for a cl-style compile the headers it listed
 * with `/showIncludes` (those lines, and cl.exe's echo of the source name, are not shown).
 */
function compilerOutput(
  job: CompileJob,
  result: ExecResult,
): { output: string; headers?: string[] | undefined } {
  const all = `${result.stderr}\n${result.stdout}`;
  if (job.run.showIncludes === undefined) return { output: all.trim() };
  const parsed = parseShowIncludes(all, job.run.showIncludes, job.source.file);
  return { output: parsed.output, headers: parsed.headers };
}

function withSource(job: CompileJob, files: string[]): string[] {
  if (!files.includes(job.source.file)) files.unshift(job.source.file);
  return [...new Set(files)];
}

/**
 * The files the object depends on, from its depfile. Plain `.s` files are not preprocessed and
 * get no depfile: then the source itself is the only input.
 */
function readDeps(job: CompileJob, cwd: string): string[] {
  let files: string[];
  try {
    files = parseDepfile(readFileSync(job.depfile, 'utf8')).map((f) => resolvePath(cwd, f));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    files = [];
  }
  return withSource(job, files);
}
