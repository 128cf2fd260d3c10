import path from 'node:path';
import { KilnError } from '../errors.js';
import { outDirFor, resolveLocation } from '../location/index.js';
import { manifestPathFor, readManifestFile } from '../manifest/io.js';
import { locateManifest } from '../manifest/read.js';
import { type ManifestFormat, renderManifest } from '../manifest/render/index.js';
import { checkFreshness, readFingerprint } from '../runner/fingerprint.js';
import { kilnVersion } from '../runner/version.js';
import { writeFileAtomic } from '../state/index.js';
import { byCodeUnit } from '../util/order.js';

export interface PrintArgs {
  cwd?: string | undefined;
  target?: string | undefined;
  profile?: string | undefined;
  release?: boolean | undefined;
  outDir?: string | undefined;
  format: ManifestFormat;
  cflags?: boolean | undefined;
  libs?: boolean | undefined;
  output?: string | undefined;
  /** `--json`: the manifest as JSON (errors are JSON events, as for every command). */
  json?: boolean | undefined;
}

/** `kiln print`: the link manifest rendered for a consumer, on stdout or into a file. */
export async function printCommand(args: PrintArgs): Promise<number> {
  if (args.json && (args.format !== 'json' || args.cflags || args.libs)) {
    const other = args.format !== 'json' ? `--format ${args.format}` : '--cflags/--libs';
    throw new KilnError(
      'USAGE',
      `--json prints the manifest as JSON; it cannot be combined with ${other}`,
      {
        hint: `Drop --json to render ${other}, or drop ${other} for the JSON manifest.`,
      },
    );
  }
  const located = locateManifest({
    ...(args.cwd ? { cwd: args.cwd } : {}),
    ...(args.target ? { target: args.target } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
    ...(args.release ? { release: true } : {}),
    ...(args.outDir ? { outBase: args.outDir } : {}),
  });
  if (located.followed) {
    // stderr, so stdout stays exactly the rendered manifest.
    process.stderr.write(
      `kiln: no ${located.followed.from} build; using the ${located.followed.to} build, the most recent (pass --profile to choose)\n`,
    );
  }
  const manifest = await readManifestFile(located.file);
  const format = args.json
    ? 'json'
    : args.cflags || args.libs
      ? args.format === 'json'
        ? 'flags'
        : args.format
      : args.format;
  const text = renderManifest(manifest, format, { cflags: !!args.cflags, libs: !!args.libs });
  if (args.output) await writeFileAtomic(args.output, text);
  else process.stdout.write(text);
  return 0;
}

/** `kiln print --workspaces`: each package with a build config and the state of its build. */
export async function printWorkspaces(
  args: Omit<PrintArgs, 'format'> & { json?: boolean | undefined },
): Promise<number> {
  const location = resolveLocation({
    cwd: args.cwd,
    target: args.target,
    profile: args.profile,
    release: args.release,
  });
  const root = location.root;
  // Only this form reads the workspace: plain `kiln print` does not load it.
  const { discoverWorkspace } = await import('../workspace/discover.js');
  const { buildGraph } = await import('../workspace/graph.js');
  const graph = buildGraph(await discoverWorkspace(root));
  const target = location.target.triple;
  const profile = location.profile.name;
  const rows = [...graph.values()]
    .sort((a, b) => byCodeUnit(a.pkg.name, b.pkg.name))
    .map((node) => {
      const outDir = outDirFor(node.pkg.root, target, profile, args.outDir);
      const state = checkFreshness(readFingerprint(outDir), {
        kilnVersion: kilnVersion(),
        features: [],
        root: node.pkg.root,
        env: process.env,
      });
      return {
        name: node.pkg.name,
        path: path.relative(root, node.pkg.root) || '.',
        state: state.fresh ? 'fresh' : state.reason === 'no previous build' ? 'not built' : 'dirty',
        ...(state.fresh ? {} : { reason: state.reason }),
        needs: node.needs,
        manifest: manifestPathFor(outDir),
      };
    });
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ type: 'workspace', target, profile, packages: rows })}\n`,
    );
    return 0;
  }
  for (const r of rows) {
    const why = 'reason' in r && r.state === 'dirty' ? ` (${r.reason})` : '';
    const needs = r.needs.length ? `  needs ${r.needs.join(', ')}` : '';
    process.stdout.write(`${r.name.padEnd(28)} ${r.state}${why}  ${r.path}${needs}\n`);
  }
  return 0;
}
