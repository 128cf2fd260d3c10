import path from 'node:path';
import { type Location, resolveLocation } from '../location/index.js';
import { type FreshnessQuery, readFingerprint } from '../runner/fingerprint.js';
import { readPackageInfo } from '../runner/package.js';
import { judgeFingerprint } from '../runner/recorded-plan.js';
import { kilnVersion } from '../runner/version.js';
import { type BuildArgs, parseBuildArgs } from './args.js';
import { colorsFor } from './colors.js';
import { freshWarnings } from './reporter.js';

/** What the fingerprint check of a plain `kiln build` found. */
export type PackageCheck =
  /** Fresh: reported, with this exit code. */
  | { code: number }
  /** Not fresh: whether the recorded plan replays, and the flags. */
  | { replay: boolean; args: BuildArgs };

/**
 * `kiln build` when nothing changed, decided from the stored fingerprint before yargs, jiti or
 * any plugin is loaded (the path every install and test run takes), and reported. Otherwise
 * what the check found; undefined for anything it does not decide (a workspace build, an
 * unusual flag, a bad target).
 */
export function checkPackageBuild(argv: readonly string[]): PackageCheck | undefined {
  const args = parseBuildArgs(argv);
  if (!args) return undefined;
  if (args.profile && args.profile !== 'debug' && args.profile !== 'release') return undefined;
  // --debug with --release or --profile is a usage error: the full parser reports it.
  if (args.debug && (args.release || args.profile)) return undefined;
  let location: Location;
  try {
    location = resolveLocation({ ...args, outBase: args.outDir });
  } catch {
    // A bad --target (or profile) is reported by the full command.
    return undefined;
  }
  const { root, outDir } = location;
  const target = location.target.triple;
  const profile = location.profile.name;
  const fp = readFingerprint(outDir);
  const query: FreshnessQuery = {
    kilnVersion: kilnVersion(),
    features: [],
    root,
    env: process.env,
  };
  // One walk over the fingerprint says both: fresh, or not and whether the plan replays.
  const judged = judgeFingerprint(fp, query);
  if (!judged.freshness.fresh) return { replay: judged.replay !== undefined, args };
  const pkg = readPackageInfo(root).name;
  if (args.json) {
    const manifest = path.join(outDir, 'manifest.json');
    process.stdout.write(
      `${JSON.stringify({ type: 'fresh', package: pkg })}\n${JSON.stringify({ type: 'done', package: pkg, fresh: true, durationMs: 0, manifest })}\n`,
    );
  } else {
    if (!args.quiet) process.stdout.write(`Fresh ${pkg} (${target}, ${profile})\n`);
    const warnings = freshWarnings(path.join(outDir, 'manifest.json'), pkg);
    if (warnings)
      process.stderr.write(`${colorsFor(process.stderr).yellow('warning')}: ${warnings}\n`);
  }
  return { code: 0 };
}
