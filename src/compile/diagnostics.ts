/** One diagnostic of compiler output: its lines, with the context lines that introduce it first. */
interface Block {
  /** The lines as printed (colour codes kept). */
  text: string[];
  /** The same lines without colour codes, for parsing and comparing. */
  plain: string[];
  error: boolean;
  /** How many leading lines are context ("In file included from ...", "x.c: In function ..."). */
  context: number;
}

// Colour codes (SGR) and the hyperlink escapes newer gcc prints with -fdiagnostics-color.
const ANSI = /\x1b\[[0-9;]*[A-Za-z]|\x1b\]8;[^\x07\x1b]*(?:\x07|\x1b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

const CONTEXT =
  /^In file included from |^\s+from |^[^:\s][^:]*: In (function|member function|instantiation)/;

/** Splits compiler output into diagnostics, each with its context, excerpt, caret and notes. */
function splitBlocks(output: string): Block[] {
  const lines = output.replace(/\r\n/g, '\n').split('\n');
  const blocks: Block[] = [];
  let prefix: { text: string[]; plain: string[] } = { text: [], plain: [] };
  let current: Block | undefined;
  const flush = (b: Block, line: string, plain: string) => {
    b.text.push(...prefix.text, line);
    b.plain.push(...prefix.plain, plain);
    prefix = { text: [], plain: [] };
  };
  for (const line of lines) {
    const plain = stripAnsi(line);
    // gcc/clang `a.c:3:5: warning:`, clang-cl `a.c(3,5): warning:`, cl.exe `a.c(3): warning C4101:`.
    const kind = /^\S.*?:(?:\d+:)*\s*(fatal error|error|warning|note)(?: [A-Z]+\d+)?:/.exec(
      plain,
    )?.[1];
    if (CONTEXT.test(plain)) {
      // Context that introduces the next diagnostic.
      if (current && current.text.length > 0 && !current.error && prefix.text.length === 0)
        current = undefined;
      prefix.text.push(line);
      prefix.plain.push(plain);
    } else if (kind && kind !== 'note') {
      current = {
        text: [],
        plain: [],
        error: kind.endsWith('error'),
        context: prefix.text.length,
      };
      flush(current, line, plain);
      blocks.push(current);
    } else if (current) {
      flush(current, line, plain);
    } else {
      current = { text: [], plain: [], error: false, context: prefix.text.length };
      flush(current, line, plain);
      blocks.push(current);
    }
  }
  if (prefix.text.length > 0)
    blocks.push({ text: prefix.text, plain: prefix.plain, error: false, context: 0 });
  return blocks;
}

/**
 * Reorders compiler output so the errors come first: a long run of warnings (or notes from an
 * earlier file) must not push the actual error out of the trimmed view the CLI shows. Each
 * diagnostic keeps its context lines ("In file included from", the source excerpt, the caret).
 * Nothing is dropped: the full text stays available.
 */
export function errorsFirst(output: string): string {
  const blocks = splitBlocks(stripAnsi(output));
  const ordered = [...blocks.filter((b) => b.error), ...blocks.filter((b) => !b.error)];
  return ordered
    .map((b) => b.text.join('\n'))
    .join('\n')
    .trim();
}

/** A warning of one step, shown once however many sources printed it. */
export interface CompileWarning {
  /** The diagnostic as the compiler printed it for the first source, without colour codes. */
  message: string;
  /** The same with the compiler's colours, when it was asked for them. */
  color: string;
  /** Sources whose compile printed it, in source order. */
  sources: string[];
}

// clang's closing tally differs with the number of warnings in the file: not part of any one.
const TALLY = /^\d+ (?:warning|error)s?(?: and \d+ (?:warning|error)s?)? generated\.$/;

/**
 * Gathers what successful compiles printed, diagnostic by diagnostic, so a header's warning seen
 * by twenty sources is reported once with the count. Two diagnostics are the same when they read
 * the same apart from the "In file included from" chain that led to them.
 */
export class WarningCollector {
  private readonly byKey = new Map<string, CompileWarning>();

  /**
   * Adds one compile's output. `root` is the package root: paths below it are shown relative
   * (Kiln passes absolute paths, so the compiler prints them that way).
   */
  add(source: string, output: string, root: string): void {
    const prefix = root.endsWith('/') || root.endsWith('\\') ? root : `${root}/`;
    const relative = (s: string) => s.split(prefix).join('');
    for (const block of splitBlocks(output)) {
      const keep = block.plain.map((l) => !TALLY.test(l.trim()) && l.trim() !== '');
      const plain = block.plain.filter((_, i) => keep[i]);
      if (plain.length === 0) continue;
      const text = block.text.filter((_, i) => keep[i]);
      const key = relative(plain.slice(block.context).join('\n'));
      const known = this.byKey.get(key);
      if (known) {
        if (!known.sources.includes(source)) known.sources.push(source);
        continue;
      }
      this.byKey.set(key, {
        message: relative(plain.join('\n')),
        color: relative(text.join('\n')),
        sources: [source],
      });
    }
  }

  /** The warnings in the order first seen, each with a line naming the sources when several. */
  warnings(): CompileWarning[] {
    return [...this.byKey.values()].map((w) => {
      if (w.sources.length < 2) return w;
      const listed = w.sources.slice(0, 5).join(', ');
      const more = w.sources.length > 5 ? `, … ${w.sources.length - 5} more` : '';
      const note = `(the same warning in ${w.sources.length} sources: ${listed}${more})`;
      return { ...w, message: `${w.message}\n${note}`, color: `${w.color}\n${note}` };
    });
  }
}

/**
 * Whether compilers should colour their diagnostics: the reporter prints warnings on stderr, so
 * only when that is a terminal and colour is not turned off (https://no-color.org).
 */
export function wantsDiagnosticsColor(
  stream: { isTTY?: boolean } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return !!stream.isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}
