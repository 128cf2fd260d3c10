// Kiln's cmake plugin against calling cmake by hand on the same fixture (native-fixtures/cmake/kit),
// same generator (Ninja), same -j, same machine, interleaved runs:
//   cold   = configure + build + install into a new tree, vs `kiln build` in a new package
//   no-op  = `cmake --build` on an up-to-date tree, vs a no-change `kiln build` (CLI, whole process),
//            and vs the plugin's own no-change path in-process (`build({ force: true })`: the plugin
//            runs and proves from its state that configure and build would do nothing).
// Needs `npm run build` first (it runs Kiln from ../dist). BENCH_ROUNDS=n sets the repeat count.
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { KILN, median, printTable, REPO, roundsFrom, tempPackage, timeRun } from './support.mjs';

const rounds = roundsFrom('BENCH_ROUNDS', 5);
const jobs = String(Number(process.env.BENCH_JOBS ?? os.availableParallelism()));
for (const tool of ['cmake', 'ninja', 'cc']) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) {
    console.log(JSON.stringify({ bench: 'cmake', skipped: `${tool} not found` }));
    process.exit(0);
  }
}
const { build } = await import(pathToFileURL(path.join(REPO, 'dist', 'index.js')).href);
const PLUGIN = path.join(REPO, 'dist', 'index.js');
const FIXTURE = path.join(REPO, 'native-fixtures', 'cmake', 'kit');

function newPackage() {
  const root = tempPackage({
    'build.config.mjs': `import { cmake } from ${JSON.stringify(PLUGIN)};
export default { plugins: [cmake({ source: 'vendor/kit', generator: 'Ninja' })] };
`,
  });
  cpSync(FIXTURE, path.join(root, 'vendor', 'kit'), { recursive: true });
  return root;
}

/** cmake by hand, as a build script would call it: configure, build, install. */
function directCold(root) {
  const b = path.join(root, 'direct', 'build');
  const prefix = path.join(root, 'direct', 'install');
  const src = path.join(root, 'vendor', 'kit');
  return (
    timeRun('cmake', [
      '-S',
      src,
      '-B',
      b,
      '-G',
      'Ninja',
      '-DCMAKE_BUILD_TYPE=Release',
      `-DCMAKE_INSTALL_PREFIX=${prefix}`,
    ]) +
    timeRun('cmake', ['--build', b, '--parallel', jobs]) +
    timeRun('cmake', ['--install', b])
  );
}

const kilnCli = (root) => timeRun(process.execPath, [KILN, 'build', '-j', jobs], { cwd: root });

const cold = { direct: [], kiln: [] };
const noop = { direct: [], directWithInstall: [], kilnCli: [], kilnForced: [] };
for (let i = 0; i < rounds; i++) {
  const root = newPackage();
  cold.direct.push(directCold(root));
  cold.kiln.push(kilnCli(root));
  const directBuild = path.join(root, 'direct', 'build');
  for (let k = 0; k < 3; k++) {
    noop.direct.push(timeRun('cmake', ['--build', directBuild, '--parallel', jobs]));
    noop.directWithInstall.push(
      timeRun('cmake', ['--build', directBuild, '--parallel', jobs]) +
        timeRun('cmake', ['--install', directBuild]),
    );
    noop.kilnCli.push(kilnCli(root));
    const start = process.hrtime.bigint();
    const r = await build({ cwd: root, jobs: Number(jobs), force: true });
    noop.kilnForced.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.fresh) throw new Error('forced build reported fresh');
  }
}

const ms = (v) => Math.round(median(v) * 10) / 10;
const ratio = (a, b) => Math.round((median(a) / median(b)) * 100) / 100;
const result = {
  bench: 'cmake',
  fixture: 'native-fixtures/cmake/kit',
  generator: 'Ninja',
  jobs: Number(jobs),
  rounds,
  cold_direct_ms: ms(cold.direct),
  cold_kiln_ms: ms(cold.kiln),
  cold_ratio: ratio(cold.kiln, cold.direct),
  noop_cmake_build_ms: ms(noop.direct),
  noop_cmake_build_install_ms: ms(noop.directWithInstall),
  noop_kiln_cli_ms: ms(noop.kilnCli),
  noop_kiln_cli_ratio: ratio(noop.kilnCli, noop.direct),
  noop_plugin_inprocess_ms: ms(noop.kilnForced),
  noop_plugin_inprocess_ratio: ratio(noop.kilnForced, noop.direct),
};
console.log(JSON.stringify(result));
console.log(
  [
    `cmake plugin vs cmake by hand (kit fixture, Ninja, -j${jobs}, medians of ${rounds} cold / ${rounds * 3} no-op runs)`,
    `  cold configure+build+install: cmake ${result.cold_direct_ms} ms, kiln build ${result.cold_kiln_ms} ms (${result.cold_ratio}x, includes Node start and config load)`,
    `  no-op: cmake --build ${result.noop_cmake_build_ms} ms (+ --install: ${result.noop_cmake_build_install_ms} ms)`,
    `         kiln build (CLI, fresh) ${result.noop_kiln_cli_ms} ms (${result.noop_kiln_cli_ratio}x)`,
    `         plugin re-run in-process, no cmake spawned ${result.noop_plugin_inprocess_ms} ms (${result.noop_plugin_inprocess_ratio}x)`,
  ].join('\n'),
);
printTable(
  `cmake plugin vs cmake by hand (kit fixture, Ninja, -j${jobs}; cold ${rounds} / no-op ${rounds * 3} rounds)`,
  [
    {
      name: 'cold configure+build+install',
      peer: 'cmake by hand',
      peerMs: cold.direct,
      kilnMs: cold.kiln,
    },
    {
      name: 'no-op, kiln build CLI (Fresh)',
      peer: 'cmake --build',
      peerMs: noop.direct,
      kilnMs: noop.kilnCli,
    },
    {
      name: 'no-op, plugin re-run in-process',
      peer: 'cmake --build',
      peerMs: noop.direct,
      kilnMs: noop.kilnForced,
    },
  ],
  `${rounds}/${rounds * 3}`,
);
