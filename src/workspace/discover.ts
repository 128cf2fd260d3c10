import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findConfigFileIfAny } from '../config/find.js';
import { KilnError } from '../errors.js';
import { requireVendored } from '../util/vendor.js';

export interface WorkspacePackage {
  name: string;
  version: string | undefined;
  root: string;
  /** The build config, when the package has one. */
  config: string | undefined;
  /** Names of the packages it depends on (dependencies, devDependencies, optionalDependencies, peerDependencies). */
  dependsOn: string[];
}

interface PackageJson {
  name?: string;
  version?: string;
  workspaces?: string[] | { packages?: string[] };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readJson(file: string): PackageJson {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch (error) {
    throw new KilnError('WORKSPACE_INVALID', `Cannot read ${file}: ${(error as Error).message}`, {
      hint: 'Fix the JSON of that package.json.',
    });
  }
}

/**
 * yaml, loaded on first use: most builds are not pnpm workspaces, and `kilnjs` is imported by
 * every config. `require` keeps the caller synchronous (yaml ships CommonJS).
 */
function loadYaml(): Pick<typeof import('yaml'), 'parse'> {
  // Bundled: only `parse` (scripts/build.mjs).
  return requireVendored<Pick<typeof import('yaml'), 'parse'>>('yaml');
}

/** The workspace globs: npm/yarn `workspaces` in package.json, or pnpm-workspace.yaml `packages`. */
export function workspacePatterns(root: string): string[] {
  let pnpm: string | undefined;
  try {
    pnpm = readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  } catch {
    pnpm = undefined;
  }
  if (pnpm !== undefined) {
    const doc = loadYaml().parse(pnpm) as { packages?: unknown } | null;
    const list = doc?.packages;
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) {
      throw new KilnError(
        'WORKSPACE_INVALID',
        `${path.join(root, 'pnpm-workspace.yaml')}: "packages" must be a list of globs`,
        {
          hint: 'Write e.g.\npackages:\n  - "packages/*"',
        },
      );
    }
    return list;
  }
  const pkg = readJson(path.join(root, 'package.json'));
  const ws = Array.isArray(pkg.workspaces) ? pkg.workspaces : pkg.workspaces?.packages;
  if (!ws || ws.length === 0) {
    throw new KilnError('WORKSPACE_INVALID', `${root} declares no workspaces`, {
      hint: 'Add "workspaces": ["packages/*"] to package.json (npm, yarn) or a pnpm-workspace.yaml, or run without --workspaces.',
    });
  }
  return ws;
}

/** Every package of the workspace rooted at `root` (the root package itself included if it has a config). */
export async function discoverWorkspace(root: string): Promise<WorkspacePackage[]> {
  const patterns = workspacePatterns(root);
  const include = patterns
    .filter((p) => !p.startsWith('!'))
    .map((p) => `${p.replace(/\/+$/, '')}/package.json`);
  const ignore = [
    '**/node_modules/**',
    ...patterns
      .filter((p) => p.startsWith('!'))
      .map((p) => `${p.slice(1).replace(/\/+$/, '')}/package.json`),
  ];
  const { glob } = await import('tinyglobby');
  const files = await glob(include, { cwd: root, ignore, absolute: true });
  const dirs = [...new Set(files.map((f) => path.dirname(f)))].sort();
  if (findConfigFileIfAny(root)) dirs.unshift(root);
  const seen = new Map<string, string>();
  return dirs.map((dir) => {
    const pkg = readJson(path.join(dir, 'package.json'));
    const name = pkg.name ?? path.basename(dir);
    const other = seen.get(name);
    if (other) {
      throw new KilnError(
        'WORKSPACE_INVALID',
        `Two workspace packages are named "${name}": ${other} and ${dir}`,
        {
          hint: 'Give each package a unique "name" in its package.json.',
        },
      );
    }
    seen.set(name, dir);
    const dependsOn = [
      ...new Set([
        ...Object.keys(pkg.dependencies ?? {}),
        ...Object.keys(pkg.devDependencies ?? {}),
        ...Object.keys(pkg.optionalDependencies ?? {}),
        ...Object.keys(pkg.peerDependencies ?? {}),
      ]),
    ];
    return { name, version: pkg.version, root: dir, config: findConfigFileIfAny(dir), dependsOn };
  });
}
