import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];

/**
 * The config file and every local file it imports, transitively. These are inputs of the
 * build: editing a helper module the config imports must make the next build dirty. Bare
 * specifiers (packages) are not followed; Kiln's own version is an input of its own.
 */
export function collectConfigFiles(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [path.resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.endsWith('.json')) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const match of text.matchAll(SPECIFIER)) {
      const resolved = resolveLocal(path.dirname(file), match[2]!);
      if (resolved && !seen.has(resolved)) queue.push(resolved);
    }
  }
  return [...seen];
}

/** The file a relative specifier in `dir` names, as the config loader resolves it. */
export function resolveLocal(dir: string, spec: string): string | undefined {
  const base = path.resolve(dir, spec);
  const candidates = [base];
  // TypeScript ESM style: `./util.js` in source refers to `./util.ts`.
  const ext = path.extname(base);
  if (['.js', '.mjs', '.cjs'].includes(ext)) {
    const stem = base.slice(0, -ext.length);
    candidates.push(`${stem}${ext.replace('js', 'ts')}`);
  }
  for (const e of EXTENSIONS) candidates.push(base + e);
  for (const e of EXTENSIONS) candidates.push(path.join(base, `index${e}`));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}
