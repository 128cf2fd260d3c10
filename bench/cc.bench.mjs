// The cc plugin against ninja and make on a generated C corpus (≥ 60 translation units with
// shared headers), same flags, same machine, same run: a cold build, then the rebuild after one
// header (included by one unit) changed. Goal: cold ≤ 1.00× ninja, incremental ≤ 1.2× ninja.
// Needs `npm run build` first (it runs Kiln from ../dist). BENCH_ROUNDS=n (at least 5) repeats and takes medians.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makefile, ninjaFile, writeCorpus } from './cc/corpus.mjs';
import { median, printTable, REPO, roundsFrom, tempPackage } from './support.mjs';

const rounds = roundsFrom('BENCH_ROUNDS', 5);
const jobs = Number(process.env.BENCH_JOBS ?? os.availableParallelism());
const CC = process.env.BENCH_CC ?? 'gcc';
const haveTime = existsSync('/usr/bin/time');
for (const tool of ['ninja', 'make', CC, 'ar']) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) {
    console.log(JSON.stringify({ bench: 'cc', skipped: `${tool} not found` }));
    process.exit(0);
  }
}

const root = tempPackage({
  'build.config.mjs': `import { cc } from ${JSON.stringify(path.join(REPO, 'dist/index.js'))};
export default { plugins: [cc({ name: 'corpus', sources: ['src/**/*.c'], includes: ['include'], compileCommands: true })] };
`,
});
const corpus = writeCorpus(root);
const env = { ...process.env, CC, CFLAGS: '', LDFLAGS: '', CCACHE_DISABLE: '1' };

/** Runs a command under /usr/bin/time (peak RSS of the largest process in the tree), timing it. */
function run(file, args) {
  const argv = haveTime
    ? ['/usr/bin/time', '-f', 'KILN_BENCH_RSS=%M', file, ...args]
    : [file, ...args];
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0)
    throw new Error(`${file} ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  const rss = Number(/KILN_BENCH_RSS=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { ms, treeRssKb: rss, stdout: r.stdout };
}

const kilnOut = path.join(root, 'build', 'kiln');
const kiln = () => {
  const r = run(process.execPath, [path.join(REPO, 'bench/cc/kiln-build.mjs'), root, String(jobs)]);
  const info = JSON.parse(r.stdout.trim().split('\n').pop());
  return {
    ...r,
    ownRssKb: info.maxRssKb,
    compiles: info.steps.filter((s) => s.startsWith('CC ')).length,
  };
};

// Kiln first: its compile_commands.json gives the exact flags ninja and make must use.
rmSync(kilnOut, { recursive: true, force: true });
const firstKiln = kiln();
const db = JSON.parse(readFileSync(path.join(root, 'compile_commands.json'), 'utf8'));
const args0 = db[0].arguments;
const flags = args0.slice(1, args0.indexOf('-MD'));
const spec = { cc: args0[0], ar: 'ar', flags, sources: corpus.sources };
writeFileSync(path.join(root, 'build.ninja'), ninjaFile({ ...spec, outDir: 'build-ninja' }));
writeFileSync(path.join(root, 'Makefile'), makefile({ ...spec, outDir: 'build-make' }));

const { build } = await import(path.join(REPO, 'dist/index.js'));
/** Kiln in this (warm) process: the plugin's own cost, without node start-up and module loading. */
const kilnApi = async () => {
  let compiles = 0;
  const start = process.hrtime.bigint();
  await build({
    cwd: root,
    release: true,
    jobs,
    env,
    onEvent: (e) => {
      if (e.type === 'progress' && e.step === 'CC') compiles++;
    },
  });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, compiles };
};

const tools = {
  kiln: { clean: () => rmSync(kilnOut, { recursive: true, force: true }), build: kiln },
  kilnApi: { clean: () => rmSync(kilnOut, { recursive: true, force: true }), build: kilnApi },
  ninja: {
    clean: () => rmSync(path.join(root, 'build-ninja'), { recursive: true, force: true }),
    build: () => run('ninja', ['-j', String(jobs)]),
  },
  make: {
    clean: () => rmSync(path.join(root, 'build-make'), { recursive: true, force: true }),
    build: () => run('make', ['-j', String(jobs), '--no-print-directory']),
  },
};

const cold = { kiln: [firstKiln], kilnApi: [], ninja: [], make: [] };
const incr = { kiln: [], kilnApi: [], ninja: [], make: [] };
for (let round = 0; round < rounds; round++) {
  // Rotate the order so a warmer page cache or a busier moment does not always favour one tool.
  const order = ['ninja', 'make', 'kiln'].map((_, i, a) => a[(i + round) % a.length]);
  for (const name of order) {
    if (name === 'kiln' && round === 0) continue; // measured above
    tools[name].clean();
    cold[name].push(await tools[name].build());
  }
  // One header, included by one unit, changes (content, not just mtime: Kiln hashes content).
  appendFileSync(corpus.privateHeader, `/* edit ${round} */\n`);
  for (const name of order) incr[name].push(await tools[name].build());
  // The same two builds again with Kiln inside this already-warm process.
  tools.kilnApi.clean();
  cold.kilnApi.push(await kilnApi());
  appendFileSync(corpus.privateHeader, `/* in-process edit ${round} */\n`);
  incr.kilnApi.push(await kilnApi());
}

const ms = (xs) => +median(xs.map((x) => x.ms)).toFixed(0);
const rssMb = (xs, key) => +(Math.max(...xs.map((x) => x[key] ?? 0)) / 1024).toFixed(1);
const result = {
  bench: 'cc',
  units: corpus.units,
  avgLines: corpus.avgLines,
  jobs,
  rounds,
  compiler: path.basename(args0[0]),
  coldMs: {
    kiln: ms(cold.kiln),
    kilnInProcess: ms(cold.kilnApi),
    ninja: ms(cold.ninja),
    make: ms(cold.make),
  },
  incrementalMs: {
    kiln: ms(incr.kiln),
    kilnInProcess: ms(incr.kilnApi),
    ninja: ms(incr.ninja),
    make: ms(incr.make),
  },
  ratioVsNinja: {
    cold: +(ms(cold.kiln) / ms(cold.ninja)).toFixed(2),
    incremental: +(ms(incr.kiln) / ms(incr.ninja)).toFixed(2),
    coldInProcess: +(ms(cold.kilnApi) / ms(cold.ninja)).toFixed(2),
    incrementalInProcess: +(ms(incr.kilnApi) / ms(incr.ninja)).toFixed(2),
    makeCold: +(ms(cold.make) / ms(cold.ninja)).toFixed(2),
    makeIncremental: +(ms(incr.make) / ms(incr.ninja)).toFixed(2),
  },
  goal: { cold: 1.0, incremental: 1.2 },
  incrementalWhy: incr.kiln.find((x) => x.compiles > 1)?.why,
  incrementalCompiles: {
    kiln: Math.max(...incr.kiln.map((x) => x.compiles)),
    kilnInProcess: Math.max(...incr.kilnApi.map((x) => x.compiles)),
  },
  peakRssMb: {
    kilnProcess: rssMb([...cold.kiln, ...incr.kiln], 'ownRssKb'),
    kilnTree: rssMb([...cold.kiln, ...incr.kiln], 'treeRssKb'),
    ninjaTree: rssMb([...cold.ninja, ...incr.ninja], 'treeRssKb'),
    makeTree: rssMb([...cold.make, ...incr.make], 'treeRssKb'),
  },
};
console.log(JSON.stringify(result));
const r = result.ratioVsNinja;
console.log(
  [
    `cc: ${result.units} C units (~${result.avgLines} lines), ${result.compiler}, -j${jobs}, ${rounds} round(s)`,
    `  (kiln = a fresh node process running the build API; in-process = the same API in a warm process)`,
    `  cold:        kiln ${result.coldMs.kiln} ms (in-process ${result.coldMs.kilnInProcess} ms, ${r.coldInProcess}×) | ninja ${result.coldMs.ninja} ms | make ${result.coldMs.make} ms → kiln ${r.cold}× ninja (goal ≤ 1.00×)`,
    `  1 header:    kiln ${result.incrementalMs.kiln} ms (in-process ${result.incrementalMs.kilnInProcess} ms, ${r.incrementalInProcess}×) | ninja ${result.incrementalMs.ninja} ms | make ${result.incrementalMs.make} ms → kiln ${r.incremental}× ninja (goal ≤ 1.2×), kiln recompiled ${result.incrementalCompiles.kiln}`,
    `  peak RSS:    kiln process ${result.peakRssMb.kilnProcess} MB; largest process of each build: kiln ${result.peakRssMb.kilnTree} MB, ninja ${result.peakRssMb.ninjaTree} MB, make ${result.peakRssMb.makeTree} MB`,
  ].join('\n'),
);
const msOf = (xs) => xs.map((x) => x.ms);
printTable(
  `cc: ${result.units} C units, ${result.compiler}, -j${jobs}`,
  [
    {
      name: 'cold',
      peer: 'ninja',
      peerMs: msOf(cold.ninja),
      kilnMs: msOf(cold.kiln),
      goal: '≤ 1.00×',
    },
    { name: 'cold', peer: 'make', peerMs: msOf(cold.make), kilnMs: msOf(cold.kiln) },
    {
      name: 'cold, in-process',
      peer: 'ninja',
      peerMs: msOf(cold.ninja),
      kilnMs: msOf(cold.kilnApi),
    },
    {
      name: '1 header',
      peer: 'ninja',
      peerMs: msOf(incr.ninja),
      kilnMs: msOf(incr.kiln),
      goal: '≤ 1.2×',
    },
    { name: '1 header', peer: 'make', peerMs: msOf(incr.make), kilnMs: msOf(incr.kiln) },
    {
      name: '1 header, in-process',
      peer: 'ninja',
      peerMs: msOf(incr.ninja),
      kilnMs: msOf(incr.kilnApi),
    },
  ],
  rounds,
);
rmSync(root, { recursive: true, force: true });
