// Resolving 10 system libraries (--cflags --libs) with Kiln's in-process resolver versus
// spawning pkgconf once per library, in the same run. Run after `npm run build`:
//   node bench/pkg-config.bench.mjs
import { spawnSync } from 'node:child_process';
import { runPkgConfig } from '../dist/cli/pkg-config.js';

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

const ROUNDS = 20;
async function time(fn) {
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    for (const l of libs) await fn(l);
    samples.push(performance.now() - t);
  }
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)];
}

const inProcessMs = await time(inProcess);
const spawnMs = await time(spawned);
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
console.log(
  `pkg-config: ${libs.length} libraries (--cflags --libs): in-process ${inProcessMs.toFixed(2)} ms, ` +
    `${PKGCONF} spawned ${spawnMs.toFixed(2)} ms (median of ${ROUNDS}) -> ${ratio.toFixed(1)}x faster` +
    `${ratio >= 10 ? '' : ' (below the 10x goal)'}; outputs ${identical ? 'identical' : 'DIFFER'}`,
);
