/**
 * `/showIncludes`, cl's depfile: for every header it opens, cl prints `Note: including file:`
 * followed by one space per nesting level beyond the first and the header's path. cl.exe
 * localises the prefix (`Hinweis: Einlesen der Datei:`, `メモ: インクルード ファイル:`), so it is
 * learnt once per compiler by compiling a probe that includes a known header, as CMake does
 * (`CMAKE_CL_SHOWINCLUDES_PREFIX`) and ninja expects (`msvc_deps_prefix`). clang-cl always
 * prints the English prefix.
 */
export const ENGLISH_PREFIX = 'Note: including file:';

/** The header the prefix probe includes; its line in the probe's output carries the prefix. */
export const PROBE_HEADER = 'kiln_show_includes_probe.h';

/**
 * The prefix in front of the probe header's line, by CMake's rule: everything up to and
 * including the second colon (`Note: including file:`), which also holds for the localised
 * forms. Returns undefined when no line names the probe header.
 */
export function learnPrefix(output: string): string | undefined {
  for (const line of output.split(/\r?\n/)) {
    if (!line.includes(PROBE_HEADER)) continue;
    const m = /^([^:]*:[^:]*:)[ \t]*/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

export interface ShowIncludes {
  /** The headers, in the order printed, without duplicates (paths as the compiler wrote them). */
  headers: string[];
  /** The output without the include lines: the diagnostics to show the user. */
  output: string;
}

/**
 * Splits a compile's output into the headers it read and what is left for the user. cl.exe also
 * prints the name of each source it compiles on a line of its own; that line is dropped too
 * (`source`, the file name as given on the command line, compared by its base name).
 */
export function parseShowIncludes(
  output: string,
  prefix: string = ENGLISH_PREFIX,
  source?: string,
): ShowIncludes {
  const headers: string[] = [];
  const seen = new Set<string>();
  const kept: string[] = [];
  const sourceName = source === undefined ? undefined : baseName(source);
  for (const line of output.split(/\r?\n/)) {
    if (line.startsWith(prefix)) {
      // One space after the prefix, then one more per nesting level: the path starts at the
      // first non-space (a header path does not start with a space on any system cl runs on).
      const file = line
        .slice(prefix.length)
        .replace(/^[ \t]+/, '')
        .replace(/\s+$/, '');
      if (file && !seen.has(file)) {
        seen.add(file);
        headers.push(file);
      }
      continue;
    }
    if (sourceName !== undefined && line.trim() === sourceName) continue;
    kept.push(line);
  }
  return { headers, output: kept.join('\n').trim() };
}

function baseName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] ?? file;
}
