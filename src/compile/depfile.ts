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
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '\\' && (next === '\n' || (next === '\r' && text[i + 2] === '\n'))) {
      flush();
      i += next === '\r' ? 2 : 1;
    } else if (ch === '\\' && (next === ' ' || next === '#' || next === '\\' || next === ':')) {
      current += next;
      has = true;
      i++;
    } else if (ch === '$' && next === '$') {
      current += '$';
      has = true;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      flush();
    } else {
      current += ch;
      has = true;
    }
  }
  flush();
  // The first token ending in ':' closes the target list; a later one starts a second rule.
  const deps: string[] = [];
  let seenTarget = false;
  for (const token of tokens) {
    if (!seenTarget) {
      if (token.endsWith(':')) seenTarget = true;
      continue;
    }
    if (token.endsWith(':')) break;
    if (token === ':') continue;
    if (!deps.includes(token)) deps.push(token);
  }
  return deps;
}
