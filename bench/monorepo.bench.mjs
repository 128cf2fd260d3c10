// Monorepo scale: a generated workspace of BENCH_PACKAGES (default 500) `cc()` packages, 12
// levels deep. Measures, in interleaved rounds (median, min, max):
//   discovery + graph      discoverWorkspace + buildGraph, in-process, from dist/
//   no-op build            `kiln build --workspaces` with everything Fresh
//   stat-only baseline     a node process that only stats the files a no-op must look at (the
//                          union of every fingerprint's inputs and outputs, and the fingerprints)
//   leaf header touched    one bottom package's header changed: must rebuild exactly it and its
//                          dependents (asserted from the --json events)
//   cold build             wall time against (compiler + kiln CPU time) / cores: the scheduling
//                          overhead (1.0 = every core busy all the time)
// Goals: no-op ≤ 1.0 s and ≤ 3× the stat-only baseline.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dependents, generateMonorepo, headerText, name } from './monorepo.mjs';
import { KILN, median, REPO } from './support.mjs';

const count = Number(process.env.BENCH_PACKAGES ?? 500);
const rounds = Math.max(5, Number(process.env.BENCH_ROUNDS ?? 5));
const coldRounds = Number(process.env.BENCH_COLD_ROUNDS ?? rounds);
const cores = os.availableParallelism();
const { root, deps } = generateMonorepo({ count, levels: 12 });

function run(file, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(file, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0)
    throw new Error(`${file} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/** Wall time and the CPU time of the command and all its children (bash's `times`). */
function runWithCpu(args) {
  const r = run('bash', ['-c', '"$@" >/dev/null || exit 1; times', 'bench', ...args]);
  // `times` prints the shell's own user/sys, then its children's: "0m1.234s 0m0.567s".
  const lines = r.stdout.trim().split('\n');
  const secs = (t) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  };
  const [user, sys] = lines.at(-1).split(/\s+/);
  return { ms: r.ms, cpuMs: (secs(user) + secs(sys)) * 1000 };
}

const cleanBuilds = () => {
  for (let i = 0; i < count; i++)
    rmSync(path.join(root, 'packages', name(i), 'build'), { recursive: true, force: true });
};

// Cold builds first (each from nothing), then the rest on the last one's outputs.
const cold = [];
for (let i = 0; i < coldRounds; i++) {
  cleanBuilds();
  cold.push(runWithCpu([process.execPath, KILN, 'build', '--workspaces']));
}
// With no cold round measured (BENCH_COLD_ROUNDS=0), one unmeasured build still comes first:
// the no-op rounds below must find everything built.
if (coldRounds === 0) run(process.execPath, [KILN, 'build', '--workspaces']);

// The files a no-op build must at least stat: what the fingerprints list (each package's inputs,
// its dependencies' manifests, archives and headers, the compilers) and the fingerprints
// themselves, each once. Reading and parsing them is Kiln's own cost, not the baseline's.
const files = new Set();
for (let i = 0; i < count; i++) {
  const pkgRoot = path.join(root, 'packages', name(i));
  const outDir = path.join(pkgRoot, 'build', 'kiln');
  const [triple] = readdirSync(outDir).filter((d) => !d.startsWith('.'));
  const fpFile = path.join(outDir, triple, 'release', '.kiln', 'fingerprint.json');
  const fp = JSON.parse(readFileSync(fpFile, 'utf8')).data;
  files.add(fpFile);
  for (const rel of [...Object.keys(fp.files), ...Object.keys(fp.outputs)])
    files.add(path.resolve(pkgRoot, rel));
}
const listFile = path.join(root, 'stat-list.json');
writeFileSync(listFile, JSON.stringify([...files]));
const statScript = `const fs = require('node:fs'); for (const f of JSON.parse(fs.readFileSync(${JSON.stringify(listFile)}, 'utf8'))) fs.statSync(f);`;
const discoveryScript = `const t = performance.now();
const { discoverWorkspace } = await import(${JSON.stringify(path.join(REPO, 'dist', 'workspace', 'discover.js'))});
const { buildGraph } = await import(${JSON.stringify(path.join(REPO, 'dist', 'workspace', 'graph.js'))});
const g = buildGraph(await discoverWorkspace(process.cwd()));
if (g.size !== ${count}) throw new Error('found ' + g.size + ' packages');
console.log(performance.now() - t);`;

const leaf = 1; // a bottom package of a chain with a cross link into it
const expected = [...dependents(deps, leaf)].map(name).sort();
const times = { discovery: [], noop: [], stat: [], touch: [] };
for (let r = 0; r < rounds; r++) {
  times.discovery.push(
    Number(run(process.execPath, ['--input-type=module', '-e', discoveryScript]).stdout),
  );
  times.noop.push(run(process.execPath, [KILN, 'build', '--workspaces']).ms);
  times.stat.push(run(process.execPath, ['-e', statScript]).ms);
  writeFileSync(
    path.join(root, 'packages', name(leaf), `${name(leaf)}.h`),
    headerText(leaf, deps[leaf], r + 1),
  );
  const touched = run(process.execPath, [KILN, 'build', '--workspaces', '--json']);
  times.touch.push(touched.ms);
  const events = touched.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const rebuilt = [
    ...new Set(events.filter((e) => e.type === 'dirty').map((e) => e.package)),
  ].sort();
  if (JSON.stringify(rebuilt) !== JSON.stringify(expected)) {
    throw new Error(
      `touching ${name(leaf)}.h rebuilt ${rebuilt.join(' ')}; expected ${expected.join(' ')}`,
    );
  }
}

const stats = (v) => ({ median: median(v), min: Math.min(...v), max: Math.max(...v) });
const coldWall = cold.length
  ? stats(cold.map((c) => c.ms))
  : { median: Number.NaN, min: Number.NaN, max: Number.NaN };
const ideal = median(cold.map((c) => c.cpuMs)) / cores;
const rows = [
  ['discovery + graph', stats(times.discovery)],
  ['no-op build --workspaces', stats(times.noop)],
  ['stat-only baseline', stats(times.stat)],
  [`leaf header touched (${expected.length} pkgs)`, stats(times.touch)],
  [`cold build (${coldRounds} rounds)`, coldWall],
];
const f = (n) => n.toFixed(0).padStart(8);
console.log(`\n${count} packages, ${count * 5} C files, ${cores} cores, ${rounds} rounds`);
console.log(
  `${'measure'.padEnd(34)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}  (ms)`,
);
for (const [label, s] of rows)
  console.log(`${label.padEnd(34)}${f(s.median)}${f(s.min)}${f(s.max)}`);
const noopRatio = median(times.noop) / median(times.stat);
const overhead = coldWall.median / ideal;
console.log(
  `no-op / stat-only: ${noopRatio.toFixed(2)}× (goal ≤ 3×); no-op ${median(times.noop).toFixed(0)} ms (goal ≤ 1000)`,
);
console.log(
  `cold wall / (CPU time / ${cores} cores): ${overhead.toFixed(2)} (ideal ${ideal.toFixed(0)} ms)`,
);
console.log(
  JSON.stringify({
    bench: 'monorepo',
    packages: count,
    rounds,
    discoveryMs: +median(times.discovery).toFixed(1),
    noopMs: +median(times.noop).toFixed(1),
    statMs: +median(times.stat).toFixed(1),
    noopRatio: +noopRatio.toFixed(2),
    touchMs: +median(times.touch).toFixed(1),
    touchPackages: expected.length,
    coldMs: +coldWall.median.toFixed(1),
    coldIdealMs: +ideal.toFixed(1),
    coldOverhead: +overhead.toFixed(2),
    goals: { noopMs: 1000, noopRatio: 3 },
  }),
);
rmSync(root, { recursive: true, force: true });
