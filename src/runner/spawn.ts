import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export interface SpawnOptions {
  cwd: string;
  /** The whole environment of the child (nothing is inherited beyond it). */
  env: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed; empty: stdin is the null device. */
  input: string;
  /** Leads its own process group (see process-groups.ts). */
  detached: boolean;
  /** Stops the child (SIGTERM, then SIGKILL after `killAfterMs`); for when groups are not used. */
  signal?: AbortSignal | undefined;
  killAfterMs: number;
  /** More output than this on one stream stops the child: a runaway tool must not fill memory. */
  maxBuffer: number;
  /** Each line of output as it arrives (without its newline); output is still collected. */
  onLine?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
}

export interface SpawnResult {
  /** Undefined when the program did not exit by itself (killed, or never started). */
  exitCode: number | undefined;
  signal: NodeJS.Signals | undefined;
  stdout: string;
  stderr: string;
  /** Why it did not run or was stopped: a spawn error (ENOENT, EACCES) or too much output. */
  error?: NodeJS.ErrnoException | undefined;
  /** Stopped through `signal`. */
  canceled: boolean;
}

/** A started child: its pid (when it started) and its outcome; never rejects. */
export interface Spawned {
  pid: number | undefined;
  result: Promise<SpawnResult>;
}

/**
 * Runs a program with node:child_process: an argv array (never a shell), stdout and stderr
 * collected whole and decoded as UTF-8 once (a character split across chunks stays whole), and
 * lines reported as they come.
 */
export function spawnProgram(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
): Spawned {
  const child = spawn(file, [...args], {
    cwd: options.cwd,
    env: options.env,
    detached: options.detached,
    // No input, no pipe: a compile reads nothing from stdin, and one pipe less per child is
    // measurable when a build starts hundreds.
    stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let error: NodeJS.ErrnoException | undefined;
  let canceled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    killTimer.unref();
  };
  const onAbort = () => {
    canceled = true;
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const collect = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') => {
    const chunks: Buffer[] = [];
    let size = 0;
    const decoder = options.onLine ? new StringDecoder('utf8') : undefined;
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBuffer) {
        if (!error) {
          error = Object.assign(new Error(`${name} was larger than ${options.maxBuffer} bytes`), {
            code: 'ERR_MAX_BUFFER',
          });
          stop();
        }
        return;
      }
      chunks.push(chunk);
      if (decoder) {
        const lines = (partial + decoder.write(chunk)).split('\n');
        partial = lines.pop()!;
        for (const line of lines) options.onLine!(line.replace(/\r$/, ''), name);
      }
    });
    return () => {
      if (decoder) {
        const rest = partial + decoder.end();
        if (rest) options.onLine!(rest.replace(/\r$/, ''), name);
      }
      return Buffer.concat(chunks).toString('utf8');
    };
  };
  const stdout = collect(child.stdout!, 'stdout');
  const stderr = collect(child.stderr!, 'stderr');
  if (child.stdin) {
    // A child that exits without reading its input closes the pipe: that is not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  }

  const result = new Promise<SpawnResult>((resolve) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      error ??= e;
    });
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        // A program that never started reports a negative errno as its code: not an exit.
        exitCode: error ? undefined : (code ?? undefined),
        signal: signal ?? undefined,
        stdout: stdout(),
        stderr: stderr(),
        error,
        canceled,
      });
    });
  });
  return { pid: child.pid, result };
}

/** How a result that is not an exit reads in a message: `killed with SIGSEGV`, `spawn EACCES`. */
export function describeFailure(result: SpawnResult): string {
  if (result.error) return result.error.message;
  if (result.signal) return `killed with ${result.signal}`;
  return 'did not exit';
}

/**
 * Runs a tool to read what it prints (`cc --version`), for `kiln doctor`: inherits Kiln's
 * environment and folder, never throws, and gives up after `timeout` ms.
 */
export async function runTool(
  file: string,
  args: readonly string[],
  options: { reject?: false; timeout?: number } = {},
): Promise<{ failed: boolean; exitCode: number | undefined; stdout: string; stderr: string }> {
  const controller = new AbortController();
  const timer = options.timeout ? setTimeout(() => controller.abort(), options.timeout) : undefined;
  const r = await spawnProgram(file, args, {
    cwd: process.cwd(),
    env: process.env,
    input: '',
    detached: false,
    signal: controller.signal,
    killAfterMs: 2000,
    maxBuffer: 64 * 1024 * 1024,
  }).result;
  clearTimeout(timer);
  return {
    failed: r.exitCode !== 0,
    exitCode: r.exitCode,
    stdout: r.stdout.replace(/\r?\n$/, ''),
    stderr: r.stderr.replace(/\r?\n$/, ''),
  };
}
