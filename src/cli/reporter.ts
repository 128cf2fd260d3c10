import { createColors } from 'picocolors';
import { fromSystemError, isKilnError, type KilnError } from '../errors.js';
import type { BuildEvent } from '../runner/events.js';

export interface ReporterOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Prefix lines with the package name (workspace builds). */
  showPackage?: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/** Colour only on a terminal, never with NO_COLOR (https://no-color.org). */
export function colorsFor(stream: NodeJS.WriteStream) {
  return createColors(!!stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb');
}

/**
 * Renders build events for people (one updating progress line on a TTY, plain lines
 * otherwise) or as JSON lines with `--json`.
 */
export function createReporter(options: ReporterOptions) {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  const c = colorsFor(out);
  const tty = !!out.isTTY && !options.json;
  let lineOpen = false;
  const clear = () => {
    if (lineOpen) {
      out.write('\r\x1b[K');
      lineOpen = false;
    }
  };
  const print = (text: string, stream = out) => {
    clear();
    stream.write(`${text}\n`);
  };
  const onEvent = (e: BuildEvent): void => {
    if (options.json) {
      out.write(`${JSON.stringify(e)}\n`);
      return;
    }
    const tag = options.showPackage ? `${c.dim(e.package)} ` : '';
    switch (e.type) {
      case 'start':
        break;
      case 'fresh':
        if (!options.quiet)
          print(`${tag}${c.green('Fresh')}${options.showPackage ? '' : ` ${e.package}`}`);
        break;
      case 'dirty':
        if (!options.quiet) print(`${tag}${c.yellow('Dirty')}: ${e.reason}`);
        break;
      case 'waiting':
        // The message is a whole sentence ("Waiting for another kiln build …").
        print(`${tag}${c.yellow(e.message)}`, err);
        break;
      case 'progress': {
        if (options.quiet) break;
        const text = `${tag}[${e.n}/${e.total}] ${c.cyan(e.step.padEnd(4))} ${e.what}`;
        if (tty) {
          out.write(`\r\x1b[K${text.slice(0, Math.max(20, (out.columns ?? 80) - 1))}`);
          lineOpen = true;
        } else {
          out.write(`${text}\n`);
        }
        break;
      }
      case 'exec':
        if (options.verbose) print(c.dim(`$ ${e.command}`));
        break;
      case 'log':
        if (e.level === 'debug' ? options.verbose : !options.quiet) print(`${tag}${e.message}`);
        break;
      case 'warning':
        print(`${c.yellow('warning')}: ${tag}${e.message}`, err);
        break;
      case 'done':
        if (!options.quiet && !e.fresh)
          print(`${c.green('Finished')} ${e.package} in ${(e.durationMs / 1000).toFixed(2)}s`);
        break;
      case 'skipped':
        print(`${c.yellow('Skipped')} ${e.package}: ${e.reason}`, err);
        break;
      case 'error':
        print(
          [
            `${c.red(c.bold('error'))}: ${tag}${e.message}`,
            ...(e.details ? [trimDetails(e.details, options.verbose)] : []),
            ...(e.command ? [`${c.dim('command:')} ${e.command}`] : []),
            ...(e.hint ? [`${c.cyan('hint')}: ${e.hint}`] : []),
          ].join('\n'),
          err,
        );
        break;
      case 'plugin-start':
      case 'plugin-end':
        break;
    }
  };
  const summary = (
    packages: readonly { name: string; status: string; reason?: string | undefined }[],
  ) => {
    if (options.json) return;
    const counts = new Map<string, number>();
    for (const p of packages) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
    const text = ['built', 'fresh', 'failed', 'skipped']
      .filter((s) => counts.get(s))
      .map((s) => `${counts.get(s)} ${s}`)
      .join(', ');
    const bad = packages.filter((p) => p.status === 'failed' || p.status === 'skipped');
    print(
      `${bad.length ? c.red('Workspace') : c.green('Workspace')}: ${text || 'nothing to build'}`,
    );
    for (const p of bad) print(`  ${p.status} ${p.name}${p.reason ? ` (${p.reason})` : ''}`, err);
  };
  return { onEvent, finish: clear, summary };
}

/** Prints an error (message, details, command, hint); returns the exit code. */
export function reportError(
  error: unknown,
  options: { json: boolean; verbose: boolean; stream?: NodeJS.WriteStream },
): number {
  const stream = options.stream ?? process.stderr;
  error = fromSystemError(error) ?? error;
  if (!isKilnError(error)) {
    const e = error as Error;
    stream.write(`kiln: internal error: ${e?.stack ?? String(error)}\n`);
    return 1;
  }
  const k = error as KilnError;
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ type: 'error', code: k.code, message: k.message, hint: k.hint, details: k.details, command: k.command })}\n`,
    );
  }
  const c = colorsFor(stream);
  const lines = [`${c.red(c.bold('error'))}: ${k.message}`];
  if (k.details) lines.push(trimDetails(k.details, options.verbose));
  if (k.command) lines.push(`${c.dim('command:')} ${k.command}`);
  if (k.hint) lines.push(`${c.cyan('hint')}: ${k.hint}`);
  if (options.verbose && k.stack) lines.push(c.dim(k.stack));
  stream.write(`${lines.join('\n')}\n`);
  return k.code === 'INTERRUPTED' ? 130 : k.exitCode;
}

function trimDetails(details: string, verbose: boolean): string {
  const lines = details.trimEnd().split('\n');
  if (verbose || lines.length <= 25) return lines.join('\n');
  return [...lines.slice(0, 25), `… ${lines.length - 25} more lines (--verbose shows all)`].join(
    '\n',
  );
}
