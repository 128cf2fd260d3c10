import { KilnError } from '../errors.js';
import type { Directive } from '../manifest/directive.js';
import { parseDirectiveLine } from '../manifest/directive-line.js';
import { formatCommand } from '../util/quote.js';
import type { JobPool } from './jobs.js';
import {
  type ChildRegistry,
  groupAlive,
  signalGroup,
  stopGroup,
  USE_PROCESS_GROUPS,
} from './process-groups.js';
import { describeFailure, type SpawnResult, spawnProgram } from './spawn.js';
import type { ExecOptions, ExecResult } from './types.js';

export interface ProcessRunnerOptions {
  pool: JobPool;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
  onDirective: (d: Directive, command: string) => void;
  onSpawn: (command: string, file: string, args: string[]) => void;
  onOutput: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Records each child's process group with the build lock (see process-groups.ts). */
  children?: ChildRegistry | undefined;
}

/** How long a stopped child gets between SIGTERM and SIGKILL. */
const KILL_DELAY_MS = 2000;

/** Process groups of the children running now, for an immediate exit (second Ctrl-C). */
const liveGroups = new Set<number>();

/** SIGKILLs every running child's process group at once; for a forced exit. */
export function killChildGroupsSync(): void {
  const groups = [...liveGroups];
  liveGroups.clear();
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  // SIGKILL is delivered asynchronously: wait (at most 2 s) until nothing of them can still
  // write, so the process exits only after its children are gone.
  const deadline = Date.now() + 2000;
  const tick = new Int32Array(new SharedArrayBuffer(4));
  while (groups.some(groupAlive) && Date.now() < deadline) Atomics.wait(tick, 0, 0, 10);
}

/**
 * The one place Kiln starts programs: argv arrays (never a shell), the job pool honoured,
 * cancellation kills the child, and the command line kept for error messages.
 */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: ExecOptions & { signal?: AbortSignal },
  runner: ProcessRunnerOptions,
): Promise<ExecResult> {
  const command = formatCommand(file, args);
  const signal = options.signal ? AbortSignal.any([options.signal, runner.signal]) : runner.signal;
  return runner.pool.run(
    options.jobs ?? 1,
    async () => {
      if (signal.aborted) throw new KilnError('INTERRUPTED', `Stopped: ${command}`, { command });
      runner.onSpawn(command, file, [...args]);
      // Each child leads its own process group, so stopping it stops what it started too (a
      // compiler driver's cc1, cmake's ninja and its compilers). Being detached, children do not
      // see the terminal's Ctrl-C: Kiln gets it, aborts, and stops their groups itself.
      const child = spawnProgram(file, args, {
        cwd: options.cwd ?? runner.cwd,
        env: { ...runner.env, ...options.env },
        input: options.input ?? '',
        detached: USE_PROCESS_GROUPS,
        signal: USE_PROCESS_GROUPS ? undefined : signal,
        killAfterMs: KILL_DELAY_MS,
        maxBuffer: 256 * 1024 * 1024,
        onLine: options.onLine,
      });
      const pgid = USE_PROCESS_GROUPS ? child.pid : undefined;
      let stopping: Promise<void> | undefined;
      const onAbort = () => {
        if (pgid !== undefined) stopping = stopGroup(pgid, child.result, KILL_DELAY_MS);
      };
      if (pgid !== undefined) {
        liveGroups.add(pgid);
        runner.children?.add(pgid);
        signal.addEventListener('abort', onAbort, { once: true });
      }
      let result: SpawnResult;
      try {
        result = await child.result;
        await stopping;
      } finally {
        if (pgid !== undefined) {
          signal.removeEventListener('abort', onAbort);
          liveGroups.delete(pgid);
          runner.children?.remove(pgid);
        }
      }
      if (result.canceled || signal.aborted) {
        throw new KilnError('INTERRUPTED', `Stopped: ${command}`, { command });
      }
      if (result.exitCode === undefined) {
        if (result.error?.code === 'ENOENT') {
          throw new KilnError('TOOL_NOT_FOUND', `Cannot run "${file}": not found`, {
            hint: `Install ${file} or put it on PATH.`,
            command,
          });
        }
        throw new KilnError('EXEC_FAILED', `Cannot run "${file}": ${describeFailure(result)}`, {
          command,
          hint: `Check that ${file} is an executable for this machine (permissions, its #! line), then run the command above to reproduce.`,
        });
      }
      const { stdout, stderr } = result;
      const exitCode = result.exitCode;
      if (options.directives !== false) {
        for (const line of stdout.split('\n')) {
          const d = parseDirectiveLine(line, `the output of ${file}`);
          if (d) runner.onDirective(d, command);
        }
      }
      for (const line of stderr.split('\n')) if (line) runner.onOutput(line, 'stderr');
      if (exitCode !== 0 && !options.allowFailure) {
        throw new KilnError('EXEC_FAILED', `${file} exited with code ${exitCode}`, {
          details: tail(`${stderr}${stderr && stdout ? '\n' : ''}${stdout}`, 60),
          command,
          hint: 'Run the command above to reproduce; add --verbose for full output.',
        });
      }
      return { command, exitCode, stdout, stderr };
    },
    signal,
  );
}

function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return all.length <= lines ? all.join('\n') : ['…', ...all.slice(-lines)].join('\n');
}
