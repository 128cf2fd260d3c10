// The no-change `kiln build` (what every install and test run hits) against `node -e 0`,
// measured in the same run. Goal: ≤ 2.0× node -e 0.
import { KILN, median, printTable, roundsFrom, sample, tempPackage, timeRun } from './support.mjs';

const root = tempPackage({
  'build.config.ts': `import { defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    ctx.trackFiles(['src/a.c', 'src/b.c', 'src/util.h']);
    ctx.emit({ type: 'link-lib', name: 'z', kind: 'dylib' });
    ctx.emit({ type: 'metadata', key: 'bench', value: String(ctx.env.BENCH_FLAVOUR ?? 'plain') });
  },
});
`,
  'src/a.c': 'int a(void) { return 1; }\n',
  'src/b.c': 'int b(void) { return 2; }\n',
  'src/util.h': '#define UTIL 1\n',
});

timeRun(process.execPath, [KILN, 'build'], { cwd: root });
const rounds = roundsFrom('BENCH_ROUNDS', 21);
const [nodeMs, kilnMs] = sample(
  [
    { file: process.execPath, args: ['-e', '0'] },
    { file: process.execPath, args: [KILN, 'build'], options: { cwd: root } },
  ],
  rounds,
);
const node = median(nodeMs);
const kiln = median(kilnMs);
const ratio = kiln / node;
console.log(
  JSON.stringify({
    bench: 'noop',
    rounds,
    nodeMs: +node.toFixed(1),
    kilnMs: +kiln.toFixed(1),
    ratio: +ratio.toFixed(2),
    goal: 2.0,
  }),
);
printTable(
  'no-op kiln build',
  [{ name: 'kiln build (Fresh)', peer: 'node -e 0', peerMs: nodeMs, kilnMs, goal: '≤ 2.0×' }],
  rounds,
);
