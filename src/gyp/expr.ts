import type { GypValue } from './parse.js';

/** A condition names a variable that is not defined (gyp stops there with a NameError). */
export class UndefinedName extends Error {
  constructor(readonly variable: string) {
    super(`name '${variable}' is not defined`);
  }
}

type Val = GypValue | undefined;

/**
 * Evaluates a gyp condition (`OS=="mac" and target_arch in "ia32 x64"`): the subset of Python
 * expressions gyp files use, with Python's meaning — `in` on a string is a substring test, `and`/
 * `or` return an operand, names are gyp variables.
 */
export function evalCondition(text: string, vars: ReadonlyMap<string, GypValue>): boolean {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => tokens[i]?.op;
  const fail = (msg: string): never => {
    throw new Error(`cannot evaluate condition ${JSON.stringify(text)}: ${msg}`);
  };

  const orExpr = (): Val => {
    let left = andExpr();
    while (peek() === 'or') {
      i++;
      const right = andExpr();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const andExpr = (): Val => {
    let left = notExpr();
    while (peek() === 'and') {
      i++;
      const right = notExpr();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const notExpr = (): Val => {
    if (peek() === 'not') {
      i++;
      return !truthy(notExpr());
    }
    return comparison();
  };
  const comparison = (): Val => {
    let left = atom();
    let result: Val = left;
    let chained = true;
    for (;;) {
      const op = peek();
      let name: string | undefined;
      if (op === 'not' && tokens[i + 1]?.op === 'in') {
        i += 2;
        name = 'not in';
      } else if (op && ['==', '!=', '<', '>', '<=', '>=', 'in'].includes(op)) {
        i++;
        name = op;
      } else break;
      const right = atom();
      chained = chained && compare(name, left, right);
      result = chained;
      left = right;
    }
    return result;
  };
  const atom = (): Val => {
    const t = tokens[i++];
    if (!t) return fail('unexpected end');
    if (t.op === '(') {
      const v = orExpr();
      if (tokens[i++]?.op !== ')') fail('missing )');
      return v;
    }
    if (t.value !== undefined) return t.value;
    if (t.name !== undefined) {
      if (t.name === 'True') return true;
      if (t.name === 'False') return false;
      if (t.name === 'None') return null;
      if (!vars.has(t.name)) throw new UndefinedName(t.name);
      return vars.get(t.name);
    }
    return fail(`unexpected ${t.op}`);
  };
  const result = orExpr();
  if (i < tokens.length) fail(`unexpected ${tokens[i]!.op ?? tokens[i]!.name ?? 'value'}`);
  return truthy(result);
}

function truthy(v: Val): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function compare(op: string, a: Val, b: Val): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case 'in':
    case 'not in': {
      let found: boolean;
      if (typeof b === 'string') {
        if (typeof a !== 'string') throw new Error("'in <string>' requires a string on the left");
        found = b.includes(a);
      } else if (Array.isArray(b)) found = b.some((x) => equal(x, a));
      else throw new Error(`'in' needs a string or a list on the right, got ${JSON.stringify(b)}`);
      return op === 'in' ? found : !found;
    }
    default: {
      const bothNumbers = typeof a === 'number' && typeof b === 'number';
      const bothStrings = typeof a === 'string' && typeof b === 'string';
      if (!bothNumbers && !bothStrings) {
        throw new Error(`'${op}' between ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
      }
      const x = a as number | string;
      const y = b as number | string;
      return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
  }
}

function equal(a: Val, b: Val): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    // Python: True == 1, False == 0.
    const n = (v: Val) => (typeof v === 'boolean' ? Number(v) : v);
    return n(a) === n(b);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Token {
  op?: string;
  name?: string;
  value?: string | number;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<=', '>='].includes(two)) {
      out.push({ op: two });
      i += 2;
      continue;
    }
    if ('()<>'.includes(c)) {
      out.push({ op: c });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          s += text[j + 1];
          j += 2;
        } else s += text[j++];
      }
      if (j >= text.length)
        throw new Error(`unterminated string in condition ${JSON.stringify(text)}`);
      out.push({ value: s });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word) {
      const w = word[0];
      out.push(['and', 'or', 'not', 'in'].includes(w) ? { op: w } : { name: w });
      i += w.length;
      continue;
    }
    throw new Error(`unexpected ${JSON.stringify(c)} in condition ${JSON.stringify(text)}`);
  }
  return out;
}
