import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../../errors.js';

const MAX_LINES = 40;

/**
 * The `CMake Error at <file>:<line> (<command>):` blocks of a configure log: the header line and
 * the indented message lines under it (CMake indents message text by two spaces and ends the
 * block with a blank line), without the "-- Detecting C compiler" chatter around them.
 */
export function cmakeErrorBlocks(output: string): string[] {
  const lines = output.split(/\r?\n/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('CMake Error')) continue;
    out.push(line);
    let blank = 0;
    for (i++; i < lines.length; i++) {
      const next = lines[i]!;
      if (next.trim() === '') {
        if (++blank >= 2) break;
        continue;
      }
      // "Call Stack (most recent call first):" is flush left but belongs to the block.
      if (!/^\s/.test(next) && !next.startsWith('Call Stack')) {
        i--;
        break;
      }
      if (blank > 0) out.push('');
      blank = 0;
      out.push(next);
    }
  }
  return out.slice(0, MAX_LINES);
}

/**
 * Compiler-check failures are only in CMake's own logs: CMakeFiles/CMakeError.log up to 3.25,
 * CMakeFiles/CMakeConfigureLog.yaml from 3.26. Their tails hold the failing try_compile output.
 */
async function logTail(buildDir: string, output: string): Promise<string | undefined> {
  for (const name of ['CMakeError.log', 'CMakeConfigureLog.yaml']) {
    if (!output.includes(name)) continue;
    const file = path.join(buildDir, 'CMakeFiles', name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (!text) continue;
    const tail = text.trimEnd().split('\n').slice(-25).join('\n');
    return `${file} (last lines):\n${tail}`;
  }
  return undefined;
}

export async function configureFailed(options: {
  name: string;
  source: string;
  buildDir: string;
  output: string;
  command: string;
}): Promise<KilnError> {
  const blocks = cmakeErrorBlocks(options.output);
  const tail = await logTail(options.buildDir, options.output);
  const first = blocks[0]?.replace(/:$/, '');
  const firstMessage = blocks
    .slice(1)
    .find((l) => l.trim() !== '' && !l.startsWith('Call Stack'))
    ?.trim();
  const summary = first
    ? `${first}${firstMessage ? `: ${firstMessage}` : ''}`
    : lastLines(options.output, 1);
  const details = [
    blocks.length > 0 ? blocks.join('\n') : lastLines(options.output, 30),
    ...(tail ? [tail] : []),
  ].join('\n\n');
  return new KilnError(
    'CMAKE_CONFIGURE_FAILED',
    `CMake configure of ${options.name} (${options.source}) failed: ${summary}`,
    { details, command: options.command, hint: configureHint(blocks) },
  );
}

/**
 * Where in the project the error comes from: the header's file when it is a project file, else
 * the innermost project frame of the call stack (a failing find_package reports CMake's own
 * FindPackageHandleStandardArgs.cmake first; project files are shown relative to the source dir).
 */
export function projectLocation(blocks: readonly string[]): string | undefined {
  const header = /^CMake Error at (.+?:\d+) \((\w+)\)/.exec(blocks[0] ?? '');
  if (header && !path.isAbsolute(header[1]!)) return `${header[1]} (${header[2]})`;
  const frame = blocks
    .map((l) => /^\s+(.+?:\d+) \((\w+)\)$/.exec(l))
    .find((m) => m && !path.isAbsolute(m[1]!));
  return frame ? `${frame[1]} (${frame[2]})` : header ? `${header[1]} (${header[2]})` : undefined;
}

/** The package a failing find_package wanted: a Find module's "Could NOT find X", or config mode's message. */
export function missingPackage(blocks: readonly string[]): string | undefined {
  const text = blocks.map((l) => l.trim()).join(' ');
  return (
    /Could NOT find (\S+)/.exec(text)?.[1] ??
    /package configuration file provided by "([^"]+)"/.exec(text)?.[1]
  );
}

function configureHint(blocks: readonly string[]): string {
  const where = projectLocation(blocks);
  const pkg = missingPackage(blocks);
  if (pkg) {
    return (
      `The project needs ${pkg}${where ? ` (${where})` : ''}. Install its development package, or hand it over: ` +
      `cmake({ deps: { ${pkg}: pkgConfig('<name>') } }) sets ${pkg}_INCLUDE_DIR/${pkg}_LIBRARY and CMAKE_PREFIX_PATH; ` +
      `defines: { ${pkg}_DIR: '<folder with ${pkg}Config.cmake>' } points config mode at it. Run the command above to reproduce.`
    );
  }
  if (where) {
    return `Fix what ${where} reports (often a required -D: pass it in cmake({ defines })); run the command above to reproduce.`;
  }
  return "Run the command above to reproduce and read CMake's full output.";
}

/**
 * The failing compile's diagnostics from `cmake --build` output. Ninja prints `FAILED: <output>`,
 * then the command line, then the compiler's messages; make interleaves the compiler's stderr
 * with `[ 50%]` progress and `make[2]: *** ... Error 1` lines, which are dropped.
 */
export function buildDiagnostics(lines: readonly string[]): string[] {
  const failed = lines.findIndex((l) => l.startsWith('FAILED: '));
  if (failed >= 0) {
    const out: string[] = [];
    for (let i = failed; i < lines.length && out.length < MAX_LINES; i++) {
      const l = lines[i]!;
      if (i > failed && (/^\[\d+\/\d+\] /.test(l) || l.startsWith('ninja: '))) {
        if (l.startsWith('FAILED: ')) continue;
        break;
      }
      out.push(l);
    }
    return out;
  }
  return lines
    .filter(
      (l) =>
        l.trim() !== '' &&
        !/^\[\s*\d+%\]/.test(l) &&
        !/^g?make(\[\d+\])?: (Entering|Leaving)/.test(l) &&
        !/^g?make(\[\d+\])?: \*\*\*/.test(l) &&
        !l.startsWith('Consolidate compiler generated dependencies'),
    )
    .slice(0, MAX_LINES);
}

/** `src/bad.c:3:10: error: ...` → the first error line of gcc/clang/msvc-style diagnostics. */
export function firstErrorLine(lines: readonly string[]): string | undefined {
  return lines.find((l) => /(^|\s|:)(fatal )?error( [A-Z]+\d+)?:/i.test(l));
}

export async function buildFailed(options: {
  name: string;
  buildDir: string;
  lines: readonly string[];
  command: string;
}): Promise<KilnError> {
  const diag = buildDiagnostics(options.lines);
  const firstError = firstErrorLine(diag);
  const file = firstError ? /^(.+?):\d+(:\d+)?:/.exec(firstError)?.[1] : undefined;
  const compile = file ? await compileCommandFor(options.buildDir, file) : undefined;
  const details = [
    diag.join('\n') || lastLines(options.lines.join('\n'), 30),
    // Ninja's FAILED block already holds the command line; make prints none without VERBOSE.
    ...(compile && !diag.some((l) => l.startsWith('FAILED: '))
      ? [`Compile command:\n${compile}`]
      : []),
  ].join('\n\n');
  return new KilnError(
    'CMAKE_BUILD_FAILED',
    `CMake build of ${options.name} failed${firstError ? `: ${firstError.trim()}` : ''}`,
    {
      details,
      command: options.command,
      hint: file
        ? `Fix the error in ${file}; the command above reproduces the build (add -v to see every compile line).`
        : 'Run the command above to reproduce; add -v to it to see every command CMake runs.',
    },
  );
}

/** The compile line of `file` from compile_commands.json (Ninja and Makefile generators write it). */
async function compileCommandFor(buildDir: string, file: string): Promise<string | undefined> {
  const text = await readFile(path.join(buildDir, 'compile_commands.json'), 'utf8').catch(
    () => undefined,
  );
  if (!text) return undefined;
  const entries = JSON.parse(text) as { file: string; directory: string; command?: string }[];
  const abs = path.resolve(buildDir, file);
  return entries.find((e) => path.resolve(e.directory, e.file) === abs)?.command;
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}
