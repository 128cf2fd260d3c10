// Generates a monorepo of N packages (npm workspaces, `cc()` static libraries, ~5 small C files
// each) whose dependency graph is COLUMNS independent chains LEVELS deep, with a cross link every
// few columns. Every package's header includes its dependencies' headers, so a header change
// reaches exactly the package and its (transitive) dependents.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './support.mjs';

export const name = (i) => `p${String(i).padStart(4, '0')}`;

/** The graph: package i's direct dependencies (indices). */
export function monorepoGraph(count, levels) {
  const columns = Math.ceil(count / levels);
  const deps = [];
  for (let i = 0; i < count; i++) {
    const level = Math.floor(i / columns);
    const column = i % columns;
    const d = [];
    if (level > 0) d.push(i - columns);
    // A cross link to the neighbouring chain two levels down, for every fifth column.
    if (level > 1 && column % 5 === 0 && column + 1 < columns) d.push(i - 2 * columns + 1);
    deps.push(d.filter((x) => x >= 0 && x < count));
  }
  return deps;
}

/** Everything that depends on `i`, transitively, plus `i`. */
export function dependents(deps, i) {
  const out = new Set([i]);
  let grew = true;
  while (grew) {
    grew = false;
    for (let k = 0; k < deps.length; k++) {
      if (!out.has(k) && deps[k].some((d) => out.has(d))) {
        out.add(k);
        grew = true;
      }
    }
  }
  return out;
}

export function headerText(i, deps, stamp = 0) {
  return `#pragma once\n${deps.map((d) => `#include "${name(d)}/${name(d)}.h"`).join('\n')}\n#define ${name(i).toUpperCase()}_STAMP ${stamp}\nint ${name(i)}_sum(void);\n`;
}

export function generateMonorepo({ count = 500, levels = 12, files = 5 } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-mono-'));
  const deps = monorepoGraph(count, levels);
  mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  symlinkSync(REPO, path.join(root, 'node_modules', 'kilnjs'), 'dir');
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
  );
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, 'packages', name(i));
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({
        name: name(i),
        version: '1.0.0',
        type: 'module',
        dependencies: Object.fromEntries(deps[i].map((d) => [name(d), '1.0.0'])),
      }),
    );
    // `..` is the packages folder: headers are included as "pNNNN/pNNNN.h".
    writeFileSync(
      path.join(dir, 'build.config.ts'),
      `import { cc, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [cc({ name: '${name(i)}', sources: ['src/*.c'], includes: ['..'] })] });\n`,
    );
    writeFileSync(path.join(dir, `${name(i)}.h`), headerText(i, deps[i]));
    for (let f = 0; f < files; f++) {
      const body =
        f === 0
          ? `int ${name(i)}_sum(void) { return ${i}${deps[i].map((d) => ` + ${name(d)}_sum()`).join('')}; }`
          : `int ${name(i)}_f${f}(int x) { int s = 0; for (int k = 0; k < x; k++) s += k * ${f}; return s; }`;
      writeFileSync(
        path.join(dir, 'src', `f${f}.c`),
        `#include "${name(i)}/${name(i)}.h"\n${body}\n`,
      );
    }
  }
  return { root, deps };
}
