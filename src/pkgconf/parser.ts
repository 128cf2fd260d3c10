/**
 * The `.pc` line grammar of pkgconf 1.8.1: logical lines (escapes, comments, continuations) and
 * `key op value` statements. Pure functions over text; expansion and meaning live elsewhere.
 */

/** One statement of a `.pc` file: `name=value` (variable) or `Key: value` (keyword field). */
export interface PcStatement {
  kind: 'variable' | 'field';
  key: string;
  value: string;
  /** 1-based physical line where the statement starts (for messages). */
  line: number;
}

/** pkgconf splits a logical line at this many bytes (its fixed line buffer). */
const MAX_LINE = 65533;

/**
 * Splits a file into logical lines the way pkgconf 1.8.1 reads them byte by byte:
 * - `\` + LF joins the lines and eats the next line's leading spaces/tabs (no separator, so
 *   `-qux\⏎   -baz` is the single flag `-qux-baz`);
 * - `\` + CR (or CRLF) keeps a newline character inside the value and joins without trimming;
 * - `\#` is a literal `#`; `\` before any other byte keeps both bytes;
 * - an unescaped `#` drops the rest of the physical line;
 * - CR, LF and CRLF all end a line.
 */
export function readLogicalLines(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let buf = '';
  let quoted = false;
  let physical = 1;
  let start = 1;
  const n = text.length;
  const push = (): void => {
    // pkgconf's fixed buffer: a longer line is cut into pieces that are parsed separately.
    for (let i = 0; i < buf.length || i === 0; i += MAX_LINE) {
      out.push({ text: buf.slice(i, i + MAX_LINE), line: start });
      if (buf.length <= MAX_LINE) break;
    }
    buf = '';
    start = physical;
  };
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '\\' && !quoted) {
      quoted = true;
      i++;
      continue;
    }
    if (c === '#') {
      if (quoted) {
        buf += '#';
        quoted = false;
        i++;
        continue;
      }
      // Comment: skip to the end of the physical line; the terminator is handled below.
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '\n') {
      physical++;
      i++;
      if (quoted) {
        quoted = false;
        while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
        continue;
      }
      push();
      continue;
    }
    if (c === '\r') {
      physical++;
      i++;
      if (text[i] === '\n') i++;
      if (quoted) {
        quoted = false;
        buf += '\n';
        continue;
      }
      push();
      continue;
    }
    if (quoted) {
      buf += '\\';
      quoted = false;
    }
    // Copy the run of ordinary characters at once (a per-character append is the hot spot).
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 0x5c || d === 0x23 || d === 0x0a || d === 0x0d) break;
      j++;
    }
    buf += text.slice(i, j);
    i = j;
  }
  if (buf.length > 0) push();
  return out;
}

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
const isKeyChar = (c: string): boolean => {
  const k = c.charCodeAt(0);
  return (
    (k >= 0x61 && k <= 0x7a) ||
    (k >= 0x41 && k <= 0x5a) ||
    (k >= 0x30 && k <= 0x39) ||
    k === 0x5f ||
    k === 0x2e
  );
};

/**
 * Parses one logical line. pkgconf 1.8.1: the key is the longest run of `[A-Za-z0-9_.]` and must
 * start with a letter; spaces may surround it; the next byte must be `:` (field) or `=`
 * (variable), anything else drops the line silently. The value loses leading and trailing
 * whitespace.
 */
export function parseStatement(text: string, line: number): PcStatement | undefined {
  let i = 0;
  while (i < text.length && isSpace(text[i])) i++;
  const keyStart = i;
  while (i < text.length && isKeyChar(text[i]!)) i++;
  const key = text.slice(keyStart, i);
  if (key.length === 0 || !/^[A-Za-z]/.test(key)) return undefined;
  while (i < text.length && isSpace(text[i])) i++;
  const op = text[i];
  if (op !== ':' && op !== '=') return undefined;
  i++;
  while (i < text.length && isSpace(text[i])) i++;
  let end = text.length;
  while (end > i && isSpace(text[end - 1])) end--;
  return { kind: op === ':' ? 'field' : 'variable', key, value: text.slice(i, end), line };
}

/** Every statement of a `.pc` file, in file order. */
export function parsePcText(text: string): PcStatement[] {
  const out: PcStatement[] = [];
  for (const l of readLogicalLines(text)) {
    const s = parseStatement(l.text, l.line);
    if (s) out.push(s);
  }
  return out;
}
