import path from 'node:path';
import { fromSystemError, isKilnError, KilnError } from '../errors.js';
import { outDirFor, resolveProfile } from '../location/index.js';
import type { Manifest } from '../manifest/schema.js';
import { type BuildOptions, type BuildResult, build } from '../runner/build.js';
import type { EventSink } from '../runner/events.js';
import { JobPool } from '../runner/jobs.js';
import { kilnVersion } from '../runner/version.js';
import { hostTriple, parseTriple } from '../target/triple.js';
import { discoverWorkspace, workspacePatterns } from './discover.js';
import { type BuildNode, buildGraph, closure, selectPackages } from './graph.js';
import { startSummary, summarizeBuild, summaryKey } from './summary.js';

export interface WorkspaceBuildOptions extends Omit<BuildOptions, 'deps' | 'pool' | 'cwd'> {
  /** The workspace root (with `workspaces` in package.json or a pnpm-workspace.yaml). Default: cwd. */
  cwd?: string;
  /** Package names or globs to build, with what they need. Default: all. */
  filter?: string[];
}

export interface PackageOutcome {
  name: string;
  root: string;
  status: 'built' | 'fresh' | 'failed' | 'skipped';
  result?: BuildResult;
  error?: unknown;
  reason?: string;
}

export interface WorkspaceBuildResult {
  ok: boolean;
  packages: PackageOutcome[];
}

/**
 * Builds every selected package with a build config in dependency order, independent ones in
 * parallel under one job pool. A package sees the manifests of everything it needs
 * (`ctx.deps[name]`); when one fails, its dependents are skipped and the rest finish.
 */
export async function buildWorkspace(
  options: WorkspaceBuildOptions = {},
): Promise<WorkspaceBuildResult> {
  const root = path.resolve(options.cwd ?? process.cwd());
  const onEvent: EventSink = options.onEvent ?? (() => {});
  // The whole workspace's summary for the next no-op: its stamps come before discovery.
  const target = options.target ? parseTriple(options.target) : parseTriple(hostTriple());
  const profile = resolveProfile(options.profile, options.release).name;
  const key = summaryKey(root, target.triple, profile, options.outBase);
  const start = options.filter?.length
    ? undefined
    : startSummary(root, key, workspacePatterns(root));
  const graph = buildGraph(await discoverWorkspace(root));
  const selected = selectPackages(graph, options.filter ?? []);
  const pool = new JobPool(options.jobs);
  // Every package checks the same compilers on PATH to decide it is fresh: look each up once.
  const toolLookups = new Map<string, string | null>();
  const { filter: _f, cwd: _c, ...rest } = options;

  const outcomes = new Map<string, PackageOutcome>();
  const running = new Map<string, Promise<PackageOutcome>>();
  const run = (name: string): Promise<PackageOutcome> => {
    let pending = running.get(name);
    if (pending) return pending;
    const node = graph.get(name)!;
    pending = (async () => {
      const deps = await Promise.all(node.needs.filter((n) => selected.has(n)).map(run));
      const broken = deps.find((d) => d.status === 'failed' || d.status === 'skipped');
      if (broken) {
        const reason = `${broken.name} ${broken.status === 'failed' ? 'failed' : 'was skipped'}`;
        onEvent({ type: 'skipped', package: name, reason });
        return { name, root: node.pkg.root, status: 'skipped', reason } satisfies PackageOutcome;
      }
      return buildOne(node, collectDeps(node), pool, rest, onEvent);
    })();
    running.set(name, pending);
    return pending;
  };
  const collectDeps = (
    node: BuildNode,
  ): { manifests: Record<string, Manifest>; files: string[] } => {
    const manifests: Record<string, Manifest> = {};
    const files: string[] = [];
    for (const dep of closure(graph, node.needs)) {
      const r = outcomes.get(dep)?.result;
      if (!r) continue;
      manifests[dep] = r.manifest;
      // The manifest and the files it lists: a rebuilt library with an unchanged manifest must
      // still relink its dependents.
      files.push(r.manifestPath, ...r.manifest.artifacts.map((a) => a.path));
    }
    return { manifests, files };
  };
  const order = [...selected].sort();
  await Promise.all(
    order.map(async (name) => {
      const outcome = await run(name);
      outcomes.set(name, outcome);
    }),
  );
  // Dependencies record their outcome before dependents start (run() awaits them first), so
  // collectDeps always sees them; the map above is for the final report.
  const packages = order.map((n) => outcomes.get(n)!);
  const ok = packages.every((p) => p.status === 'built' || p.status === 'fresh');
  if (ok && start && !options.signal?.aborted) {
    await summarizeBuild(
      root,
      key,
      kilnVersion(),
      start,
      graph,
      (r) => outDirFor(r, target.triple, profile, options.outBase),
      (name) => outcomes.get(name)?.result?.manifestPath,
    );
  }
  return { ok, packages };

  async function buildOne(
    node: BuildNode,
    deps: { manifests: Record<string, Manifest>; files: string[] },
    sharedPool: JobPool,
    base: Omit<WorkspaceBuildOptions, 'filter' | 'cwd'>,
    sink: EventSink,
  ): Promise<PackageOutcome> {
    try {
      const result = await build({
        ...base,
        cwd: node.pkg.root,
        pool: sharedPool,
        deps: deps.manifests,
        depFiles: deps.files,
        toolLookups,
      });
      const outcome: PackageOutcome = {
        name: node.pkg.name,
        root: node.pkg.root,
        status: result.fresh ? 'fresh' : 'built',
        result,
      };
      outcomes.set(node.pkg.name, outcome);
      return outcome;
    } catch (error) {
      const k = isKilnError(error)
        ? error
        : (fromSystemError(error) ??
          new KilnError('INTERNAL', String((error as Error)?.message ?? error), { cause: error }));
      sink({
        type: 'error',
        package: node.pkg.name,
        code: k.code,
        message: k.message,
        hint: k.hint,
        details: k.details,
        command: k.command,
        plugin: k.plugin,
      });
      const outcome: PackageOutcome = {
        name: node.pkg.name,
        root: node.pkg.root,
        status: 'failed',
        error,
      };
      outcomes.set(node.pkg.name, outcome);
      return outcome;
    }
  }
}
