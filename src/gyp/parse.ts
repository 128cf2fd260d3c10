import { KilnError } from '../errors.js';

/** A value of gyp's input format: Python literals (dicts, lists, strings, numbers, booleans, None). */
export type GypValue = string | number | boolean | null | GypValue[] | GypDict;
export interface GypDict {
  [key: string]: GypValue;
}

export function isDict(v: unknown): v is GypDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses the text of a `.gyp` / `.gypi` file. gyp reads these with Python's literal evaluator, so
 * this accepts what Python does for those literals: `#` comments, trailing commas, single, double
 * and triple quotes with Python's escapes, `r`/`u` prefixes, implicit concatenation of adjacent
 * strings (`'a' 'b'`), `True`/`False`/`None`, integers and floats, tuples (read as lists).
 * Errors name the file, line and column.
 */
export function parseGyp(text: string, file: string): GypValue {
  const p = new Parser(text, file);
  p.skip();
  const value = p.value();
  p.skip();
  if (p.pos < text.length)
    throw p.error(`unexpected ${JSON.stringify(text[p.pos])} after the value`);
  return value;
}

class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  error(message: string, at = this.pos): KilnError {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    return new KilnError('CONFIG_INVALID', `${this.file}:${line}:${column}: ${message}`, {
      hint: 'gyp files are Python literals: fix the syntax there (python3 -c "import ast,sys; ast.literal_eval(open(sys.argv[1]).read())" FILE shows the same error).',
    });
  }

  /** Skips whitespace, comments and backslash line continuations. */
  skip(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') this.pos++;
      else if (c === '#') {
        const end = t.indexOf('\n', this.pos);
        this.pos = end < 0 ? t.length : end + 1;
      } else if (c === '\\' && (t[this.pos + 1] === '\n' || t[this.pos + 1] === '\r')) {
        this.pos += 2;
      } else break;
    }
  }

  value(): GypValue {
    const t = this.text;
    const c = t[this.pos];
    if (c === undefined) throw this.error('unexpected end of file, expected a value');
    if (c === '{') return this.dict();
    if (c === '[') return this.list(']');
    if (c === '(') return this.list(')');
    if (this.startsString()) return this.strings();
    if (/[-+0-9.]/.test(c)) return this.number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(this.pos, this.pos + 64))?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      this.pos += word.length;
      return word === 'True' ? true : word === 'False' ? false : null;
    }
    throw this.error(
      word
        ? `a name (${word}) is not a literal: quote it as a string`
        : `unexpected ${JSON.stringify(c)}, expected a value`,
    );
  }

  dict(): GypDict {
    const open = this.pos;
    this.pos++;
    // A null prototype: keys such as `__proto__` or `constructor` are ordinary keys in gyp.
    const out: GypDict = Object.create(null);
    for (;;) {
      this.skip();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      if (this.pos >= this.text.length) throw this.error('unclosed {', open);
      if (!this.startsString()) {
        throw this.error(
          `a dict key must be a string, found ${JSON.stringify(this.text[this.pos])}`,
        );
      }
      // A repeated key replaces the earlier value in place, as Python's dict display does
      // (node-gyp's own addon.gypi repeats "conditions"; gyp reads it without its --check).
      const key = this.strings();
      this.skip();
      if (this.text[this.pos] !== ':')
        throw this.error(`expected ":" after the key ${JSON.stringify(key)}`);
      this.pos++;
      this.skip();
      out[key] = this.value();
      this.skip();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== '}') {
        throw this.error(
          sep === undefined
            ? 'unclosed {'
            : `expected "," or "}" in a dict, found ${JSON.stringify(sep)}`,
          sep === undefined ? open : this.pos,
        );
      }
    }
  }

  list(close: ']' | ')'): GypValue[] {
    const open = this.pos;
    this.pos++;
    const out: GypValue[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.pos] === close) {
        this.pos++;
        return out;
      }
      if (this.pos >= this.text.length) throw this.error(`unclosed ${this.text[open]}`, open);
      out.push(this.value());
      this.skip();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== close) {
        throw this.error(
          sep === undefined
            ? `unclosed ${this.text[open]}`
            : `expected "," or "${close}", found ${JSON.stringify(sep)}`,
          sep === undefined ? open : this.pos,
        );
      }
    }
  }

  number(): number {
    const m =
      /^[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?|\d[\d_]*\.)/.exec(
        this.text.slice(this.pos, this.pos + 64),
      );
    if (!m) throw this.error('malformed number');
    this.pos += m[0].length;
    const s = m[0].replace(/_/g, '');
    const sign = s.startsWith('-') ? -1 : 1;
    const body = s.replace(/^[-+]/, '');
    if (/^0[xob]/i.test(body)) {
      const radix = { x: 16, o: 8, b: 2 }[body[1]!.toLowerCase() as 'x' | 'o' | 'b'];
      return sign * Number.parseInt(body.slice(2), radix);
    }
    if (/^0\d/.test(body) && /^\d+$/.test(body) && !/^0+$/.test(body)) {
      throw this.error('a number with a leading 0 is not valid Python 3 (write 0o for octal)');
    }
    return sign * Number(body);
  }

  startsString(): boolean {
    const m = /^(?:[rRuU]|[rR][bB]|[bB][rR]|[bB])?['"]/.exec(
      this.text.slice(this.pos, this.pos + 3),
    );
    return m !== null;
  }

  /** One or more adjacent string literals, concatenated as Python does. */
  strings(): string {
    let out = this.string();
    for (;;) {
      const save = this.pos;
      this.skip();
      if (this.startsString()) out += this.string();
      else {
        this.pos = save;
        return out;
      }
    }
  }

  string(): string {
    const t = this.text;
    const start = this.pos;
    let raw = false;
    while (t[this.pos] !== "'" && t[this.pos] !== '"') {
      if (t[this.pos] === 'r' || t[this.pos] === 'R') raw = true;
      this.pos++;
    }
    const q = t[this.pos]!;
    const triple = t.startsWith(q.repeat(3), this.pos);
    const delim = triple ? q.repeat(3) : q;
    this.pos += delim.length;
    let out = '';
    for (;;) {
      if (this.pos >= t.length) throw this.error('unterminated string', start);
      const c = t[this.pos]!;
      if (t.startsWith(delim, this.pos)) {
        this.pos += delim.length;
        return out;
      }
      if (!triple && c === '\n')
        throw this.error('unterminated string (a newline before the closing quote)', start);
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const n = t[this.pos + 1];
      if (n === undefined) throw this.error('unterminated string', start);
      if (raw) {
        // A raw string keeps the backslash, and a backslash still protects the quote after it.
        out += c + n;
        this.pos += 2;
        continue;
      }
      this.pos += 2;
      switch (n) {
        case '\n':
          break;
        case '\r':
          if (t[this.pos] === '\n') this.pos++;
          break;
        case '\\':
        case "'":
        case '"':
          out += n;
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'a':
          out += '\x07';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'v':
          out += '\v';
          break;
        case 'x':
          out += this.hexEscape(2, start);
          break;
        case 'u':
          out += this.hexEscape(4, start);
          break;
        case 'U':
          out += this.hexEscape(8, start);
          break;
        default:
          if (/[0-7]/.test(n)) {
            let digits = n;
            while (digits.length < 3 && /[0-7]/.test(t[this.pos] ?? '')) digits += t[this.pos++];
            out += String.fromCodePoint(Number.parseInt(digits, 8));
          } else {
            // Python keeps an unknown escape as written, backslash included.
            out += c + n;
          }
      }
    }
  }

  hexEscape(len: number, start: number): string {
    const digits = this.text.slice(this.pos, this.pos + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) {
      throw this.error(`truncated \\${len === 2 ? 'x' : len === 4 ? 'u' : 'U'} escape`, start);
    }
    this.pos += len;
    return String.fromCodePoint(Number.parseInt(digits, 16));
  }
}

/** Writes a gyp value back as gyp text (for the TODO comments of what could not be converted). */
export function formatGyp(value: GypValue, indent = ''): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const q = value.includes("'") && !value.includes('"') ? '"' : "'";
    return (
      q +
      value
        .replace(/\\/g, '\\\\')
        .replace(new RegExp(q, 'g'), `\\${q}`)
        .replace(/\n/g, '\\n')
        .replace(/\t/g, '\\t') +
      q
    );
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = `[${value.map((v) => formatGyp(v)).join(', ')}]`;
    if (flat.length <= 80 && !flat.includes('\n')) return flat;
    return `[\n${value.map((v) => `${inner}${formatGyp(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${formatGyp(k)}: ${formatGyp(value[k]!, inner)},`).join('\n')}\n${indent}}`;
}
