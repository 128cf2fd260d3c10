import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromSystemError, isKilnError, type KilnError } from '../errors.js';
import type { BuildEvent } from '../runner/events.js';
import { colorsFor } from './colors.js';

export interface ReporterOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Prefix lines with the package name (workspace builds). */
  showPackage?: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * Renders build events for people (one updating progress line on a TTY, plain lines
 * otherwise) or as JSON lines with `--json`.
 */
export function createReporter(options: ReporterOptions) {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  const c = colorsFor(out);
  const ce = colorsFor(err);
  const tty = !!out.isTTY && !options.json;
  let lineOpen = false;
  // Warnings of each step (`package\0step`) and of the whole build, for the counts.
  const stepWarnings = new Map<string, number>();
  let totalWarnings = 0;
  const clear = () => {
    if (lineOpen) {
      out.write('\r\x1b[K');
      lineOpen = false;
    }
  };
  // The terminal's progress line: every running job with how long it has run, redrawn each
  // second so a long compile is seen to be alive. `latest` is the newest step; one that is not a
  // job (a link, a cmake step) lasts until the next step.
  type Shown = { tag: string; step: string; what: string; since: number };
  const running = new Map<string, Shown>();
  let latest: (Shown & { key: string; job: boolean }) | undefined;
  let counter = '';
  let ticker: NodeJS.Timeout | undefined;
  const drawProgress = () => {
    const now = Date.now();
    const items = [
      ...(latest && !latest.job ? [latest] : []),
      ...[...running.values()].sort((a, b) => a.since - b.since),
    ];
    if (items.length === 0) return;
    const text = `${counter}${items
      .map((j) => {
        const secs = Math.floor((now - j.since) / 1000);
        return `${j.tag}${c.cyan(j.step.padEnd(4))} ${j.what}${secs >= 1 ? ` (${secs}s)` : ''}`;
      })
      .join(', ')}`;
    // A terminal whose size is unknown reports 0 columns.
    out.write(`\r\x1b[K${fitWidth(text, Math.max(20, (out.columns || 80) - 1))}`);
    lineOpen = true;
  };
  const stopTicker = () => {
    if (ticker) clearInterval(ticker);
    ticker = undefined;
  };
  const forgetPackage = (pkg: string) => {
    for (const key of running.keys()) if (key.startsWith(`${pkg}\0`)) running.delete(key);
    if (latest?.key.startsWith(`${pkg}\0`)) latest = undefined;
  };
  const print = (text: string, stream = out) => {
    clear();
    stream.write(`${text}\n`);
  };
  const onEvent = (e: BuildEvent): void => {
    if (options.json) {
      // Colour codes are for terminals; JSON readers get the plain message.
      const { color: _color, ...plain } = e as BuildEvent & { color?: unknown };
      out.write(`${JSON.stringify(plain)}\n`);
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
          const key = `${e.package}\0${e.n}`;
          const shown = { tag, step: e.step, what: e.what, since: Date.now() };
          if (e.job) running.set(key, shown);
          latest = { ...shown, key, job: !!e.job };
          counter = `[${e.n}/${e.total}] `;
          drawProgress();
          // unref: a timer must not keep the process alive once the build is over.
          ticker ??= setInterval(drawProgress, 1000).unref();
        } else {
          out.write(`${text}\n`);
        }
        break;
      }
      case 'progress-end':
        if (tty && running.delete(`${e.package}\0${e.n}`)) {
          if (running.size > 0 || (latest && !latest.job)) drawProgress();
        }
        break;
      case 'exec':
        if (options.verbose) print(c.dim(`$ ${e.command}`));
        break;
      case 'log':
        if (e.level === 'debug' ? options.verbose : !options.quiet) print(`${tag}${e.message}`);
        break;
      case 'warning':
        totalWarnings += 1;
        if (e.step) {
          // Compiler output already reads "file:line: warning: ..."; shown as the compiler printed it.
          const key = `${e.package}\0${e.step}`;
          stepWarnings.set(key, (stepWarnings.get(key) ?? 0) + 1);
          print(`${tag}${e.color && ce.isColorSupported ? e.color : e.message}`, err);
        } else {
          print(`${ce.yellow('warning')}: ${tag}${e.message}`, err);
        }
        break;
      case 'done':
        forgetPackage(e.package);
        if (e.fresh) {
          const line = freshWarnings(e.manifest, e.package);
          if (line) print(`${ce.yellow('warning')}: ${tag}${line}`, err);
        }
        if (!options.quiet && !e.fresh)
          print(`${c.green('Finished')} ${e.package} in ${(e.durationMs / 1000).toFixed(2)}s`);
        break;
      case 'skipped':
        print(`${c.yellow('Skipped')} ${e.package}: ${e.reason}`, err);
        break;
      case 'error':
        print(
          [
            `${c.red(c.bold('error'))}: ${tag}${e.message}${inPlugin(e.message, e.plugin)}`,
            ...(e.details ? [trimDetails(e.details, options.verbose)] : []),
            ...(e.command ? [`${c.dim('command:')} ${e.command}`] : []),
            ...(e.hint ? [`${c.cyan('hint')}: ${e.hint}`] : []),
          ].join('\n'),
          err,
        );
        break;
      case 'plugin-end': {
        const key = `${e.package}\0${e.plugin}`;
        const n = stepWarnings.get(key);
        if (n) {
          stepWarnings.delete(key);
          print(`${ce.yellow('warning')}: ${tag}${e.plugin}: ${plural(n, 'warning')}`, err);
        }
        break;
      }
      case 'plugin-start':
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
  /** Ends the output: closes the progress line and totals the warnings of the build. */
  const finish = () => {
    stopTicker();
    running.clear();
    latest = undefined;
    clear();
    // Steps that never finished (a failed build) still get their count.
    for (const [key, n] of stepWarnings) {
      const [pkg, step] = key.split('\0');
      const tag = options.showPackage ? `${c.dim(pkg!)} ` : '';
      print(`${ce.yellow('warning')}: ${tag}${step}: ${plural(n, 'warning')}`, err);
    }
    stepWarnings.clear();
    if (totalWarnings > 0 && !options.json) {
      print(`${ce.yellow('warning')}: ${plural(totalWarnings, 'warning')} in this build`, err);
    }
    totalWarnings = 0;
  };
  return { onEvent, finish, summary };
}

/**
 * For a fresh build, which compiles nothing and so prints no warning: how many the last build
 * left in the manifest, so they are not forgotten. Undefined when none (or no readable manifest:
 * a reminder must not fail a build that succeeded).
 */
export function freshWarnings(manifest: string, pkg: string): string | undefined {
  let count = 0;
  try {
    const text = readFileSync(manifest, 'utf8');
    // Kiln writes "warnings" last: an empty list is seen without parsing (hundreds per workspace).
    if (/"warnings": \[\]\s*\}\s*$/.test(text)) return undefined;
    const warnings = (JSON.parse(text) as { warnings?: unknown }).warnings;
    count = Array.isArray(warnings) ? warnings.length : 0;
  } catch {
    return undefined;
  }
  if (count === 0) return undefined;
  const where = path.relative(process.cwd(), manifest) || manifest;
  return `${plural(count, 'warning')} from the last build of ${pkg} (fresh, nothing recompiled): see "warnings" in ${where}`;
}

/**
 * `text` cut to `width` visible characters: colour codes take no room on the terminal, and a cut
 * inside a coloured part resets the colour so the next line does not inherit it.
 */
function fitWidth(text: string, width: number): string {
  let visible = 0;
  let i = 0;
  while (i < text.length) {
    const code = /^\x1b\[[0-9;]*m/.exec(text.slice(i, i + 16));
    if (code) {
      i += code[0].length;
      continue;
    }
    if (visible === width) return `${text.slice(0, i)}\x1b[0m`;
    visible += 1;
    i += 1;
  }
  return text;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
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
      `${JSON.stringify({ type: 'error', code: k.code, message: k.message, hint: k.hint, details: k.details, command: k.command, plugin: k.plugin })}\n`,
    );
  }
  const c = colorsFor(stream);
  const lines = [`${c.red(c.bold('error'))}: ${k.message}${inPlugin(k.message, k.plugin)}`];
  if (k.details) lines.push(trimDetails(k.details, options.verbose));
  if (k.command) lines.push(`${c.dim('command:')} ${k.command}`);
  if (k.hint) lines.push(`${c.cyan('hint')}: ${k.hint}`);
  if (options.verbose && k.stack) lines.push(c.dim(k.stack));
  stream.write(`${lines.join('\n')}\n`);
  return k.code === 'INTERRUPTED' ? 130 : k.exitCode;
}

/** Names the plugin an error came out of, unless its message already does. */
function inPlugin(message: string, plugin: string | undefined): string {
  return plugin && !message.includes(plugin) ? ` (in plugin "${plugin}")` : '';
}

function trimDetails(details: string, verbose: boolean): string {
  const lines = details.trimEnd().split('\n');
  if (verbose || lines.length <= 25) return lines.join('\n');
  return [...lines.slice(0, 25), `… ${lines.length - 25} more lines (--verbose shows all)`].join(
    '\n',
  );
}
