// Start-up: every `kiln` command people run often, and importing the package, against
// `node -e 0` in the same run, interleaved (node, command, node, command, ...) per round.
// Goals: each kiln command and import('kilnjs') ≤ 1.5× node -e 0; import('kilnjs/loader')
// within 10 ms of it. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { KILN, printTable, roundsFrom, stats, tempPackage, timeRun } from './support.mjs';

const root = tempPackage({
  'build.config.ts': `import { defineConfig } from 'kilnjs';\nexport default defineConfig({});\n`,
  'empty.mjs': '',
});
timeRun(process.execPath, [KILN, 'build'], { cwd: root });

const node = (args) => ({ file: process.execPath, args, options: { cwd: root } });
const kilnCmd = (...args) => node([KILN, ...args]);
const rows = [
  { name: 'kiln --version', cmd: kilnCmd('--version'), goal: '≤ 1.5×' },
  { name: 'kiln --help', cmd: kilnCmd('--help'), goal: '≤ 1.5×' },
  { name: 'kiln build (Fresh)', cmd: kilnCmd('build'), goal: '≤ 1.5×' },
  { name: 'kiln print', cmd: kilnCmd('print'), goal: '≤ 1.5×' },
  { name: 'kiln pkg-config --version', cmd: kilnCmd('pkg-config', '--version'), goal: '≤ 1.5×' },
  // doctor exits 1 when a tool is missing: that is its answer, not a failure of the benchmark.
  // Its warm-up run fills the user's tool-answer cache, so the rounds time remembered answers.
  { name: 'kiln doctor', cmd: kilnCmd('doctor'), goal: '≤ 1.5×', anyStatus: true },
  { name: "import('kilnjs')", cmd: node(['-e', "import('kilnjs')"]), goal: '≤ 1.5×' },
  {
    name: "import('kilnjs/loader')",
    cmd: node(['-e', "import('kilnjs/loader')"]),
    goal: '≤ +10 ms',
  },
  // For reference: what any import() costs over node -e 0 (Node's ESM loader starting up),
  // with a file that holds nothing. The loader's own share is the difference.
  { name: "import('./empty.mjs')", cmd: node(['-e', "import('./empty.mjs')"]) },
];

/** Wall time of one run; `anyStatus` accepts a non-zero exit. */
function time(c, anyStatus) {
  if (!anyStatus) return timeRun(c.file, c.args, c.options);
  const start = process.hrtime.bigint();
  spawnSync(c.file, c.args, { stdio: 'pipe', ...c.options });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const rounds = roundsFrom('BENCH_ROUNDS', 15);
const peer = node(['-e', '0']);
for (const r of rows) {
  r.peer = 'node -e 0';
  r.peerMs = [];
  r.kilnMs = [];
  time(r.cmd, r.anyStatus); // warm the page cache once
}
for (let i = 0; i < rounds; i++) {
  for (const r of rows) {
    r.peerMs.push(time(peer, false));
    r.kilnMs.push(time(r.cmd, r.anyStatus));
  }
}
printTable('start-up', rows, rounds);
console.log(
  JSON.stringify({
    bench: 'startup',
    rounds,
    rows: rows.map((r) => {
      const p = stats(r.peerMs);
      const k = stats(r.kilnMs);
      return {
        name: r.name,
        nodeMs: +p.median.toFixed(1),
        kilnMs: +k.median.toFixed(1),
        kilnMinMs: +k.min.toFixed(1),
        kilnMaxMs: +k.max.toFixed(1),
        ratio: +(k.median / p.median).toFixed(2),
        overMs: +(k.median - p.median).toFixed(1),
      };
    }),
  }),
);
