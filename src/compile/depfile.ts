/**
 * Parses a Make-style depfile as written by gcc and clang with `-MD -MF`:
 * `obj.o: src.c a.h \` continued on following lines. gcc escapes a space as `\ `, `#` as `\#`
 * and `$` as `$$`; other characters (quotes, non-ASCII bytes) are written as they are.
 * Returns the prerequisites of the first rule, in order, without duplicates.
 */
export function parseDepfile(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let has = false;
  const flush = () => {
    if (has) tokens.push(current);
    current = '';
    has = false;
  };
  // Runs of plain characters are copied whole: a unit's depfile lists a hundred headers.
  const special = /[\\$ \t\r\n]/g;
  let i = 0;
  while (i < text.length) {
    special.lastIndex = i;
    const end = special.exec(text)?.index ?? text.length;
    if (end > i) {
      current += text.slice(i, end);
      has = true;
      i = end;
      if (i === text.length) break;
    }
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '\\' && (next === '\n' || (next === '\r' && text[i + 2] === '\n'))) {
      flush();
      i += next === '\r' ? 3 : 2;
    } else if (ch === '\\' && (next === ' ' || next === '#' || next === '\\' || next === ':')) {
      current += next;
      has = true;
      i += 2;
    } else if (ch === '$' && next === '$') {
      current += '$';
      has = true;
      i += 2;
    } else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      flush();
      i += 1;
    } else {
      current += ch;
      has = true;
      i += 1;
    }
  }
  flush();
  // The first token ending in ':' closes the target list; a later one starts a second rule.
  const deps = new Set<string>();
  let seenTarget = false;
  for (const token of tokens) {
    if (!seenTarget) {
      if (token.endsWith(':')) seenTarget = true;
      continue;
    }
    if (token.endsWith(':')) break;
    if (token === ':') continue;
    deps.add(token);
  }
  return [...deps];
}
