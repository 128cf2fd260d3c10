import path from 'node:path';
import { outDirFor, profileName } from '../location/index.js';
import { checkFreshness, readFingerprint } from '../runner/fingerprint.js';
import { readPackageInfo } from '../runner/package.js';
import { kilnVersion } from '../runner/version.js';
import { hostTriple, parseTriple } from '../target/triple.js';
import { discoverWorkspace } from '../workspace/discover.js';
import { type BuildNode, buildGraph } from '../workspace/graph.js';
import type { BuildArgs } from './args.js';
import { createReporter } from './reporter.js';

/**
 * `kiln build --workspaces` when every package is fresh: decided from the stored fingerprints
 * before the runner, the manifest schema (zod) or any build config is loaded, and without
 * reading a single link manifest (a fresh package's dependents are fresh too, so none needs
 * them). The checks are the runner's own (`checkFreshness`), package by package, with what
 * `build()` would pass. Returns the exit code when all are fresh; undefined when anything is
 * dirty, forced, unusual or fails, and the full workspace build then decides and reports.
 */
export async function tryFreshWorkspace(
  args: BuildArgs & { force?: boolean },
): Promise<number | undefined> {
  if (args.force) return undefined;
  if (args.profile && args.profile !== 'debug' && args.profile !== 'release') return undefined;
  let plan: { name: string; manifest: string }[];
  try {
    const target = parseTriple(args.target ?? hostTriple()).triple;
    const profile = profileName(args.profile, args.release, args.debug);
    const graph = buildGraph(await discoverWorkspace(path.resolve(args.cwd ?? process.cwd())));
    const query = {
      kilnVersion: kilnVersion(),
      features: [],
      env: process.env,
      // Every package checks the same compilers on PATH: each is looked up once.
      toolLookups: new Map<string, string | null>(),
      // Dependents list their dependencies' files among their inputs: each is statted once.
      stats: new Map(),
    };
    plan = [];
    for (const node of dependencyOrder(graph)) {
      const root = node.pkg.root;
      const outDir = outDirFor(root, target, profile, args.outDir);
      const state = checkFreshness(readFingerprint(outDir), { ...query, root });
      if (!state.fresh) return undefined;
      plan.push({
        // Discovery read the same package.json; only a non-string name needs the runner's rule.
        name: typeof node.pkg.name === 'string' ? node.pkg.name : readPackageInfo(root).name,
        manifest: path.join(outDir, 'manifest.json'),
      });
    }
  } catch {
    return undefined;
  }
  const reporter = createReporter({
    json: !!args.json,
    quiet: !!args.quiet,
    verbose: !!args.verbose,
    showPackage: true,
  });
  for (const p of plan) {
    reporter.onEvent({ type: 'fresh', package: p.name });
    reporter.onEvent({
      type: 'done',
      package: p.name,
      fresh: true,
      durationMs: 0,
      manifest: p.manifest,
    });
  }
  reporter.finish();
  reporter.summary(plan.map((p) => ({ name: p.name, status: 'fresh' })));
  return 0;
}

/** Dependencies before dependents, ties by name: the order the full build reports them in. */
function dependencyOrder(graph: Map<string, BuildNode>): BuildNode[] {
  const out: BuildNode[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const node = graph.get(name)!;
    for (const dep of [...node.needs].sort()) visit(dep);
    out.push(node);
  };
  for (const name of [...graph.keys()].sort()) visit(name);
  return out;
}
