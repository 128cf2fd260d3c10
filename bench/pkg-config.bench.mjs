// Resolving 10 system libraries (--cflags --libs) with Kiln's in-process resolver versus
// spawning pkgconf once per library, in the same run. Run after `npm run build`:
//   node bench/pkg-config.bench.mjs
import { spawnSync } from 'node:child_process';
import { runPkgConfig } from '../dist/cli/pkg-config.js';
import { median, printTable, roundsFrom } from './support.mjs';

const WANTED = [
  'zlib',
  'libpng',
  'sqlite3',
  'openssl',
  'libssl',
  'libcrypto',
  'libxml-2.0',
  'glib-2.0',
  'gobject-2.0',
  'gio-2.0',
];
const PKGCONF = process.env.PKGCONF ?? 'pkgconf';
const env = { ...process.env };

async function inProcess(lib) {
  let out = '';
  const code = await runPkgConfig(['--cflags', '--libs', lib], {
    env,
    stdout: (s) => {
      out += s;
    },
    stderr: () => {},
  });
  return { code, out };
}

function spawned(lib) {
  const r = spawnSync(PKGCONF, ['--cflags', '--libs', lib], { env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}

const libs = WANTED.filter((l) => spawned(l).code === 0);
if (libs.length === 0) {
  console.error(
    `pkg-config bench: none of ${WANTED.join(', ')} is installed (or ${PKGCONF} is missing)`,
  );
  process.exit(1);
}
let identical = true;
for (const l of libs) {
  const a = await inProcess(l);
  const b = spawned(l);
  if (a.out !== b.out || a.code !== b.code) identical = false;
}

const ROUNDS = roundsFrom('BENCH_ROUNDS', 20);
/** One sample: every library once. */
async function once(fn) {
  const t = performance.now();
  for (const l of libs) await fn(l);
  return performance.now() - t;
}
// Interleaved: pkgconf, Kiln, pkgconf, Kiln, ... so machine noise hits both alike.
const spawnSamples = [];
const inProcessSamples = [];
for (let r = 0; r < ROUNDS; r++) {
  spawnSamples.push(await once(spawned));
  inProcessSamples.push(await once(inProcess));
}
const inProcessMs = median(inProcessSamples);
const spawnMs = median(spawnSamples);
const ratio = spawnMs / inProcessMs;
const round = (x) => Math.round(x * 1000) / 1000;
console.log(
  JSON.stringify({
    bench: 'pkg-config',
    libs: libs.length,
    rounds: ROUNDS,
    inProcessMs: round(inProcessMs),
    spawnMs: round(spawnMs),
    ratio: round(ratio),
    goal: 10,
    identical,
  }),
);
printTable(
  `pkg-config: ${libs.length} libraries, --cflags --libs each`,
  [
    {
      name: 'resolve all (in-process)',
      peer: `${PKGCONF} (spawned)`,
      peerMs: spawnSamples,
      kilnMs: inProcessSamples,
      goal: '≤ 0.1× (10× faster)',
    },
  ],
  ROUNDS,
);
