import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isKilnError, KilnError } from '../../errors.js';
import type { BuildContext, ExecResult } from '../../runner/types.js';
import { shellJoin } from '../../toolchain/shellwords.js';
import type { CompileCommand } from './command.js';
import { parseDepfile } from './depfile.js';
import { errorsFirst, stripAnsi, WarningCollector, wantsDiagnosticsColor } from './diagnostics.js';
import { relPath, type Source } from './sources.js';
import type { DepRecord, FileOracle } from './state.js';

export interface CompileJob {
  source: Source;
  command: CompileCommand;
  /** Absolute object and depfile paths. */
  object: string;
  depfile: string;
  /** The object path relative to the step directory (its key in the state file). */
  key: string;
  /** Hash of the command and compiler identity, recorded once the compile succeeds. */
  commandHash: string;
}

/** Called after each successful compile with the files the object depends on. */
export type OnCompiled = (job: CompileJob, deps: DepRecord[]) => void;

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
   * object that is up to date are shown again from what its compile printed (as Cargo replays
   * them), so a rebuild that recompiles one file does not lose the others' from the output and
   * the manifest.
   */
  objects: readonly { rel: string; object: string }[];
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
  oracle: FileOracle,
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
      onCompiled(job, done.deps);
    });
  }
  // Also when another source failed: these compiled, and their warnings are not in the error.
  const compiled = new Set(jobs.map((j) => j.object));
  const outputs: (string | undefined)[] = [];
  // In slices, so a step of thousands of objects does not open thousands of files at once.
  for (let i = 0; i < report.objects.length; i += 64) {
    const slice = report.objects.slice(i, i + 64);
    outputs.push(
      ...(await Promise.all(
        slice.map((o) =>
          compiled.has(o.object) ? printed.get(o.object) : readSavedOutput(o.object),
        ),
      )),
    );
  }
  const collector = new WarningCollector();
  report.objects.forEach((o, i) => {
    const output = outputs[i];
    if (output) collector.add(o.rel, color ? output : stripAnsi(output), ctx.packageRoot);
  });
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
  oracle: FileOracle,
  color: boolean,
  onDone: (job: CompileJob, done: Compiled) => void,
): Promise<unknown> {
  // Directories first, so the compiles below queue for the pool in source order.
  await Promise.all(
    [...new Set(jobs.map((j) => path.dirname(j.object)))].map((d) => mkdir(d, { recursive: true })),
  );
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
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !controller.signal.aborted) {
      const job = jobs[next++]!;
      await compileOne(ctx, job, controller.signal, oracle, fail, color).then((done) => {
        if (done) onDone(job, done);
      }, fail);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(ctx.jobs, jobs.length) }, worker));
  } finally {
    ctx.signal.removeEventListener('abort', forward);
  }
  return failure;
}

interface Compiled {
  deps: DepRecord[];
  /** What the compiler printed (warnings, notes), trimmed; empty when nothing. */
  output: string;
}

/** Where a compile's diagnostics are kept beside its object, for showing them again. */
const savedOutputPath = (object: string) => `${object}.diag`;

async function readSavedOutput(object: string): Promise<string | undefined> {
  try {
    return await readFile(savedOutputPath(object), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * One compile: the object's inputs and what the compiler printed; undefined when it failed or
 * was skipped because the step was aborted before it started.
 */
async function compileOne(
  ctx: BuildContext,
  job: CompileJob,
  signal: AbortSignal,
  oracle: FileOracle,
  fail: (err: unknown) => void,
  color: boolean,
): Promise<Compiled | undefined> {
  // Hold the pool slot here rather than inside exec, so a compile queued behind a failure is
  // dropped before it spawns even if the spawner does not know about our abort signal.
  const result = await ctx.withJobs(1, async () => {
    if (signal.aborted) return undefined;
    // A depfile left from an earlier compile must not describe this one (`.s` writes none).
    await rm(job.depfile, { force: true });
    ctx.progress.step(STEP_NAME[job.source.language], job.source.rel);
    // Colour changes the diagnostics, not the object: it is added here, outside the command
    // that is hashed and written to compile_commands.json.
    const args = color ? [...job.command.args, ...job.command.colorArgs] : job.command.args;
    const r = await ctx.exec(job.command.program, args, {
      cwd: ctx.packageRoot,
      jobs: 0,
      directives: false,
      allowFailure: true,
      signal,
      // English diagnostics whatever the user's locale (cc-rs does the same).
      env: { LC_ALL: 'C' },
    });
    // Abort while still holding the slot: the next queued compile must see it and not start.
    if (r.exitCode !== 0 && !signal.aborted) fail(compileError(job, r, ctx.packageRoot));
    return r;
  });
  if (result?.exitCode !== 0) return undefined;
  const output = `${result.stderr}\n${result.stdout}`.trim();
  // Kept before the object is recorded as up to date, so a later build that reuses the object
  // can show its warnings again.
  if (output) await writeFile(savedOutputPath(job.object), output);
  else await rm(savedOutputPath(job.object), { force: true });
  return { deps: await readDeps(job, oracle, ctx.packageRoot), output };
}

/**
 * COMPILE_FAILED for one source: the message names the source and the first error (its path made
 * relative to the package), `details` has every diagnostic with the errors first, `command` is
 * the exact command line, quoted for pasting into a shell.
 */
function compileError(job: CompileJob, result: ExecResult, root: string): KilnError {
  const diagnostics = errorsFirst(`${result.stderr}\n${result.stdout}`);
  const m = /^(.*?):(\d+(?::\d+)?): (?:fatal )?error: (.*)$/m.exec(diagnostics);
  const first = m ? `${relPath(root, path.resolve(root, m[1]!))}:${m[2]}: ${m[3]}` : undefined;
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
 * The files the object depends on, from its depfile. Plain `.s` files are not preprocessed and
 * get no depfile: then the source itself is the only input.
 */
async function readDeps(job: CompileJob, oracle: FileOracle, cwd: string): Promise<DepRecord[]> {
  let files: string[];
  try {
    files = parseDepfile(await readFile(job.depfile, 'utf8')).map((f) => path.resolve(cwd, f));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    files = [];
  }
  if (!files.includes(job.source.file)) files.unshift(job.source.file);
  const records = await Promise.all(files.map((f) => oracle.record(f)));
  return records.filter((r): r is DepRecord => r !== undefined);
}
