// The addon step against node-gyp on the same generated addon (32 C files + binding), same run:
//   cold:  `node-gyp rebuild -j max --nodedir=<this Node>` vs `kiln build --release` with its
//          outputs removed (both at -O3, PIC, Release);
//   no-op: `node-gyp build` vs `kiln build --release` with nothing changed.
// Goals: cold ≤ 0.6× node-gyp, no-op ≥ 4× faster. No network: node-gyp reads this Node's headers.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  KILN,
  median,
  printTable,
  REPO,
  roundsFrom,
  sample,
  tempPackage,
  timeRun,
} from './support.mjs';

const FILES = Number(process.env.BENCH_ADDON_FILES ?? 32);
const NODEDIR = path.resolve(process.execPath, '..', '..');
const NODE_GYP = createRequire(path.join(REPO, 'package.json')).resolve('node-gyp/bin/node-gyp.js');

/** A C file with enough code that compiling it at -O3 takes measurable time. */
function unit(i) {
  const fns = [];
  for (let k = 0; k < 12; k++) {
    fns.push(`static unsigned mix${k}(unsigned x) {
  for (int r = 0; r < ${4 + k}; r++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; x += ${i * 31 + k}u; }
  return x;
}`);
  }
  return `#include "units.h"
${fns.join('\n')}
unsigned unit${i}(unsigned seed) {
  unsigned acc = seed;
  for (unsigned j = 0; j < 64; j++) acc = ${Array.from({ length: 12 }, (_, k) => `mix${k}(acc + j)`).join(' ^ ')};
  return acc;
}
`;
}

const files = {
  'src/units.h': `${Array.from({ length: FILES }, (_, i) => `unsigned unit${i}(unsigned seed);`).join('\n')}\n`,
  'src/binding.c': `#include <node_api.h>
#include "units.h"
static napi_value Run(napi_env env, napi_callback_info info) {
  (void)info;
  unsigned acc = 1;
${Array.from({ length: FILES }, (_, i) => `  acc ^= unit${i}(acc);`).join('\n')}
  napi_value out;
  napi_create_uint32(env, acc, &out);
  return out;
}
static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "run", NAPI_AUTO_LENGTH, Run, NULL, &fn);
  napi_set_named_property(env, exports, "run", fn);
  return exports;
}
NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
`,
};
for (let i = 0; i < FILES; i++) files[`src/unit${i}.c`] = unit(i);
const sources = Object.keys(files).filter((f) => f.endsWith('.c'));

const kilnRoot = tempPackage({
  ...files,
  'build.config.ts': `import { addon, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [addon({ name: 'bench', sources: ['src/*.c'], headers: 'node' })] });
`,
});
// The same sources and defines; node-gyp's Release already uses -O3 and -fPIC.
const gypRoot = tempPackage({
  ...files,
  'binding.gyp': JSON.stringify({
    targets: [
      {
        target_name: 'bench',
        sources,
        defines: ['NAPI_VERSION=8'],
        cflags: ['-Wall', '-Wextra'],
      },
    ],
  }),
});

const kilnCold = {
  file: process.execPath,
  args: [KILN, 'build', '--release'],
  options: { cwd: kilnRoot },
};
const gypCold = {
  file: process.execPath,
  args: [NODE_GYP, 'rebuild', '-j', 'max', `--nodedir=${NODEDIR}`],
  options: { cwd: gypRoot },
};
const cleanKiln = () => {
  rmSync(path.join(kilnRoot, 'build'), { recursive: true, force: true });
  rmSync(path.join(kilnRoot, 'compile_commands.json'), { force: true });
};

const coldRounds = roundsFrom('BENCH_COLD_ROUNDS', 5);
const cold = { kiln: [], gyp: [] };
for (let i = 0; i < coldRounds; i++) {
  // Interleaved so machine noise hits both alike; node-gyp's rebuild cleans by itself.
  cleanKiln();
  cold.kiln.push(timeRun(kilnCold.file, kilnCold.args, kilnCold.options));
  cold.gyp.push(timeRun(gypCold.file, gypCold.args, gypCold.options));
}
const coldKiln = median(cold.kiln);
const coldGyp = median(cold.gyp);

// Both trees are built now; a no-op is what every later install or test run costs.
const noopRounds = roundsFrom('BENCH_ROUNDS', 11);
const [noopGypMs, noopKilnMs] = sample(
  [
    {
      file: process.execPath,
      args: [NODE_GYP, 'build', `--nodedir=${NODEDIR}`],
      options: { cwd: gypRoot },
    },
    kilnCold,
  ],
  noopRounds,
);
const noopGyp = median(noopGypMs);
const noopKiln = median(noopKilnMs);

// Both addons must load and agree, or the comparison means nothing.
const load = (root, dir) =>
  timeRun(process.execPath, [
    '-e',
    `require(${JSON.stringify(path.join(root, 'build', dir, 'bench.node'))}).run()`,
  ]);
load(kilnRoot, 'Release');
load(gypRoot, 'Release');

const coldRatio = coldKiln / coldGyp;
const noopSpeedup = noopGyp / noopKiln;
// What `npm install` really runs for a binding.gyp package is `node-gyp rebuild`, every time.
const installSpeedup = coldGyp / noopKiln;
console.log(
  JSON.stringify({
    bench: 'addon',
    files: FILES + 1,
    coldRounds,
    noopRounds,
    coldKilnMs: +coldKiln.toFixed(0),
    coldNodeGypMs: +coldGyp.toFixed(0),
    coldRatio: +coldRatio.toFixed(2),
    coldGoal: 0.6,
    noopKilnMs: +noopKiln.toFixed(1),
    noopNodeGypMs: +noopGyp.toFixed(1),
    noopSpeedup: +noopSpeedup.toFixed(2),
    noopGoal: 4,
    installRebuildVsKilnNoopSpeedup: +installSpeedup.toFixed(1),
  }),
);
console.log(
  `cold: kiln ${coldKiln.toFixed(0)} ms vs node-gyp -j max ${coldGyp.toFixed(0)} ms → ${coldRatio.toFixed(2)}× (goal ≤ 0.6×)\n` +
    `no-op: kiln ${noopKiln.toFixed(1)} ms vs node-gyp build ${noopGyp.toFixed(1)} ms → ${noopSpeedup.toFixed(1)}× faster (goal ≥ 4×)\n` +
    `install-time: kiln no-op vs the node-gyp rebuild npm runs on every install → ${installSpeedup.toFixed(0)}× faster`,
);
printTable(
  `addon: ${FILES + 1} C files (cold: ${coldRounds} rounds, no-op: ${noopRounds} rounds)`,
  [
    {
      name: 'cold build',
      peer: 'node-gyp rebuild -j max',
      peerMs: cold.gyp,
      kilnMs: cold.kiln,
      goal: '≤ 0.6×',
    },
    {
      name: 'no-op build',
      peer: 'node-gyp build',
      peerMs: noopGypMs,
      kilnMs: noopKilnMs,
      goal: '≤ 0.25×',
    },
  ],
  `${coldRounds}/${noopRounds}`,
);
