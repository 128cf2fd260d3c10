import path from 'node:path';
import { outDirFor, profileName } from '../location/index.js';
import { checkFreshness, FINGERPRINT_FILE, readFingerprint } from '../runner/fingerprint.js';
import { readPackageInfo } from '../runner/package.js';
import { kilnVersion } from '../runner/version.js';
import { type FileStamp, stampSync } from '../state/index.js';
import { hostTriple, parseTriple } from '../target/triple.js';
import {
  discoverWorkspace,
  type WorkspacePackage,
  workspacePatterns,
} from '../workspace/discover.js';
import { buildGraph } from '../workspace/graph.js';
import {
  type CheckedPackage,
  dependencyOrder,
  freshFromSummary,
  startSummary,
  summaryKey,
  writeSummary,
} from '../workspace/summary.js';
import type { BuildArgs } from './args.js';
import { createReporter } from './reporter.js';

/**
 * `kiln build --workspaces` when every package is fresh: decided before the runner, the
 * manifest schema (zod) or any build config is loaded, and without reading a link manifest (a
 * fresh package's dependents are fresh too, so none needs them). First from the workspace's
 * summary (`summary.ts`: every file once, nothing else read); else by each package's own
 * fingerprint check (`checkFreshness`, with what `build()` would pass), after which a new
 * summary is written. Returns the exit code when all are fresh; undefined when anything is
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
    const root = path.resolve(args.cwd ?? process.cwd());
    const version = kilnVersion();
    const key = summaryKey(root, target, profile, args.outDir);
    const summarized = freshFromSummary(root, key, version, process.env);
    if (summarized) {
      plan = summarized;
    } else {
      const start = startSummary(root, key, workspacePatterns(root));
      const packages = await discoverWorkspace(root);
      const checked = checkEach(packages, target, profile, args.outDir, start?.takenAt);
      if (!checked) return undefined;
      if (start) await writeSummary(root, key, version, start, checked);
      plan = checked;
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

/** Every package checked as `build()` checks it; undefined as soon as one is not fresh. */
function checkEach(
  packages: WorkspacePackage[],
  target: string,
  profile: string,
  outBase: string | undefined,
  stampedAt: number | undefined,
): CheckedPackage[] | undefined {
  const query = {
    kilnVersion: kilnVersion(),
    features: [],
    env: process.env,
    // Every package checks the same compilers on PATH: each is looked up once.
    toolLookups: new Map<string, string | null>(),
    // Dependents list their dependencies' files among their inputs: each is statted once.
    stats: new Map(),
  };
  const checked: CheckedPackage[] = [];
  for (const node of dependencyOrder(buildGraph(packages))) {
    const root = node.pkg.root;
    const outDir = outDirFor(root, target, profile, outBase);
    const fingerprintFile = path.join(outDir, FINGERPRINT_FILE);
    // Stamped before it is read: the summary must never vouch for a newer one than was checked.
    const fingerprintStamp =
      stampedAt === undefined
        ? undefined
        : ([fingerprintFile, stampSync(fingerprintFile, stampedAt)] as [string, FileStamp]);
    const fingerprint = readFingerprint(outDir);
    if (!fingerprint || !checkFreshness(fingerprint, { ...query, root }).fresh) return undefined;
    checked.push({
      // Discovery read the same package.json; only a non-string name needs the runner's rule.
      name: typeof node.pkg.name === 'string' ? node.pkg.name : readPackageInfo(root).name,
      root,
      manifest: path.join(outDir, 'manifest.json'),
      fingerprint,
      fingerprintStamp,
    });
  }
  return checked;
}
