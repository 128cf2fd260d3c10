/**
 * Reorders compiler output so the errors come first: a long run of warnings (or notes from an
 * earlier file) must not push the actual error out of the trimmed view the CLI shows. Each
 * diagnostic keeps its context lines ("In file included from", the source excerpt, the caret).
 * Nothing is dropped: the full text stays available.
 */
export function errorsFirst(output: string): string {
  const lines = output.replace(/\r\n/g, '\n').split('\n');
  const blocks: { text: string[]; error: boolean }[] = [];
  let prefix: string[] = [];
  let current: { text: string[]; error: boolean } | undefined;
  for (const line of lines) {
    const kind = /^\S.*?:(?:\d+:)*\s*(fatal error|error|warning|note):/.exec(line)?.[1];
    if (
      /^In file included from |^\s+from |^[^:\s][^:]*: In (function|member function|instantiation)/.test(
        line,
      )
    ) {
      // Context that introduces the next diagnostic.
      if (current && current.text.length > 0 && !current.error && prefix.length === 0)
        current = undefined;
      prefix.push(line);
    } else if (kind && kind !== 'note') {
      current = { text: [...prefix, line], error: kind.endsWith('error') };
      blocks.push(current);
      prefix = [];
    } else if (current) {
      current.text.push(...prefix, line);
      prefix = [];
    } else {
      current = { text: [...prefix, line], error: false };
      blocks.push(current);
      prefix = [];
    }
  }
  if (prefix.length > 0) blocks.push({ text: prefix, error: false });
  const ordered = [...blocks.filter((b) => b.error), ...blocks.filter((b) => !b.error)];
  return ordered
    .map((b) => b.text.join('\n'))
    .join('\n')
    .trim();
}
