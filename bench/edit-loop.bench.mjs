// The edit loop: one header edited, `kiln build` in a fresh process, and how long from its
// launch until the first compile starts. The compiler is test/support/timing-cc.mjs (gcc
// behind a wrapper that logs when each compile starts); "spawned" is when the wrapper process
// was created, "running" when its Node start-up was done. Rows, interleaved per round:
//   header edited  the config is loaded from its cache (no jiti); goal ≤ 100 ms to spawn
//   config edited  the config changed too, so jiti compiles it again (for comparison)
// against `node -e 0`, the launch cost no Node CLI avoids. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KILN, printTable, REPO, roundsFrom, stats, tempPackage, timeRun } from './support.mjs';

const SOURCES = 24;
const files = {
  'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
import { sources } from './helper.js';

const includes: string[] = ['include'];
export default defineConfig({ plugins: [cc({ name: 'loop', sources, includes })] });
`,
  'helper.ts': `export const sources = ['csrc/*.c'];\n`,
  'include/loop.h': '#define LOOP 0\n',
};
for (let i = 0; i < SOURCES; i++) {
  files[`csrc/f${i}.c`] = `#include "loop.h"\nint f${i}(int x) { return x * ${i} + LOOP; }\n`;
}
const root = tempPackage(files);
const log = path.join(root, 'timing.log');
const env = {
  ...process.env,
  CC: path.join(REPO, 'test', 'support', 'timing-cc.mjs'),
  TIMING_LOG: log,
  TIMING_SLEEP_MS: '0',
  NO_COLOR: '1',
};
timeRun(process.execPath, [KILN, 'build'], { cwd: root, env });

let edits = 0;
/** Edits, launches `kiln build`, and returns ms from launch to the first compile's spawn and run. */
function loop(edit) {
  edit(++edits);
  rmSync(log, { force: true });
  const launched = performance.timeOrigin + performance.now();
  const r = spawnSync(process.execPath, [KILN, 'build'], { cwd: root, env, stdio: 'pipe' });
  if (r.status !== 0) throw new Error(`kiln build failed: ${r.stderr}`);
  const starts = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.ev === 'start');
  if (starts.length === 0) throw new Error('no compile ran');
  return {
    spawned: Math.min(...starts.map((e) => e.origin)) - launched,
    running: Math.min(...starts.map((e) => e.t)) - launched,
  };
}
const editHeader = (n) => writeFileSync(path.join(root, 'include/loop.h'), `#define LOOP ${n}\n`);
const editConfig = (n) => {
  editHeader(n);
  writeFileSync(path.join(root, 'helper.ts'), `export const sources = ['csrc/*.c']; // ${n}\n`);
};

const rows = [
  { name: 'header edited → compiler spawned', key: 'spawned', edit: editHeader, goal: '≤ 100 ms' },
  { name: 'header edited → compiler running', key: 'running', edit: editHeader },
  { name: 'config edited → compiler spawned', key: 'spawned', edit: editConfig },
];
const rounds = roundsFrom('BENCH_ROUNDS', 10);
for (const r of rows) {
  r.peer = 'node -e 0';
  r.peerMs = [];
  r.kilnMs = [];
}
loop(editHeader); // the first run after the cold build writes nothing new: warm the page cache
for (let i = 0; i < rounds; i++) {
  // One kiln run per edit kind; both rows of a kind read the same run.
  const header = loop(editHeader);
  const config = loop(editConfig);
  const node = [0, 1, 2].map(() => timeRun(process.execPath, ['-e', '0']));
  rows[0].kilnMs.push(header.spawned);
  rows[1].kilnMs.push(header.running);
  rows[2].kilnMs.push(config.spawned);
  for (const [k, r] of rows.entries()) r.peerMs.push(node[k]);
}
printTable('edit loop: launch → first compile start', rows, rounds);
console.log(
  JSON.stringify({
    bench: 'edit-loop',
    rounds,
    rows: rows.map((r) => ({
      name: r.name,
      nodeMs: +stats(r.peerMs).median.toFixed(1),
      kilnMs: +stats(r.kilnMs).median.toFixed(1),
      kilnMinMs: +stats(r.kilnMs).min.toFixed(1),
      kilnMaxMs: +stats(r.kilnMs).max.toFixed(1),
    })),
  }),
);
