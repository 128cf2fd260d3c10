import { KilnError } from '../errors.js';
import type { WorkspacePackage } from './discover.js';

export interface BuildNode {
  pkg: WorkspacePackage;
  /** Packages with a build config this one needs built first (direct, looking through packages without a config). */
  needs: string[];
}

/**
 * The build graph: packages with a build config, each with the config packages it depends on.
 * A dependency without a config is looked through, so A → B (no config) → C still orders C first.
 */
export function buildGraph(packages: WorkspacePackage[]): Map<string, BuildNode> {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const graph = new Map<string, BuildNode>();
  for (const pkg of packages) {
    if (!pkg.config) continue;
    const needs = new Set<string>();
    const visited = new Set<string>([pkg.name]);
    const stack = [...pkg.dependsOn];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (visited.has(name)) continue;
      visited.add(name);
      const dep = byName.get(name);
      if (!dep) continue;
      if (dep.config) needs.add(name);
      else stack.push(...dep.dependsOn);
    }
    graph.set(pkg.name, { pkg, needs: [...needs].sort() });
  }
  const cycle = findCycle(graph);
  if (cycle) {
    throw new KilnError(
      'WORKSPACE_CYCLE',
      `Dependency cycle between packages with build configs: ${cycle.join(' → ')}`,
      {
        hint: 'Native build order must be acyclic: move the shared code into its own package, or drop one of the dependencies.',
      },
    );
  }
  return graph;
}

function findCycle(graph: Map<string, BuildNode>): string[] | undefined {
  const state = new Map<string, 'active' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const s = state.get(name);
    if (s === 'done') return undefined;
    if (s === 'active') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'active');
    path.push(name);
    for (const dep of graph.get(name)?.needs ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of [...graph.keys()].sort()) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}

/** Every package `name` needs, transitively. */
export function closure(graph: Map<string, BuildNode>, names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const stack = [...names];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (out.has(n)) continue;
    out.add(n);
    stack.push(...(graph.get(n)?.needs ?? []));
  }
  return out;
}

/** `--filter`: exact names or globs (`@acme/*`), plus what they need. */
export function selectPackages(
  graph: Map<string, BuildNode>,
  filters: readonly string[],
): Set<string> {
  if (filters.length === 0) return new Set(graph.keys());
  const matched = new Set<string>();
  for (const filter of filters) {
    const re = globToRegExp(filter);
    const hits = [...graph.keys()].filter((n) => re.test(n));
    if (hits.length === 0) {
      throw new KilnError('USAGE', `--filter ${filter} matches no package with a build config`, {
        hint: `Packages with a build config: ${[...graph.keys()].sort().join(', ') || 'none'}.`,
      });
    }
    for (const h of hits) matched.add(h);
  }
  return closure(graph, matched);
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*?/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
