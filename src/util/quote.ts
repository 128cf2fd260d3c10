import { KilnError } from '../errors.js';

/**
 * Splits a command-line value such as `CC="ccache gcc -m64"` or `CFLAGS='-DNAME="a b"' -O2` into
 * words the way a POSIX shell would, without running one: single quotes are literal, double quotes
 * allow `\"`, `\\`, `\$` and `` \` `` escapes, a backslash outside quotes escapes the next character.
 * No expansion of variables, globs or `$()` ever happens — those characters stay literal.
 *
 * `what` names the source of the text (e.g. the env var) for the error on an unterminated quote.
 */
export function splitShellWords(text: string, what: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw unterminated(what, text);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i]!;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== '\n') word += text[i + 1];
          i += 2;
        } else {
          word += c;
          i++;
        }
      }
      if (!closed) throw unterminated(what, text);
      inWord = true;
    } else if (ch === '\\') {
      if (i + 1 < text.length) {
        // A backslash-newline is a line continuation, not a character.
        if (text[i + 1] !== '\n') {
          word += text[i + 1];
          inWord = true;
        }
        i += 2;
      } else {
        word += ch;
        inWord = true;
        i++;
      }
    } else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function unterminated(what: string, text: string): KilnError {
  return new KilnError('CONFIG_INVALID', `${what}: unterminated quote in ${JSON.stringify(text)}`, {
    hint: 'Close the quote, or escape it with a backslash. The value is split like a shell command line (no shell is run).',
  });
}

const SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

/** Quotes one argument for a POSIX shell so a printed command can be copied and pasted. */
export function shellQuote(arg: string): string {
  if (arg.length > 0 && SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** A whole command line, quoted for copy/paste into a POSIX shell. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** A program and its arguments, quoted for copy/paste (error messages, --verbose). */
export function formatCommand(file: string, args: readonly string[]): string {
  return shellJoin([file, ...args]);
}

/** {@link splitShellWords} for text Kiln itself produced (flags it printed), where a quote error cannot arise. */
export function splitWords(text: string): string[] {
  return splitShellWords(text, 'value');
}
