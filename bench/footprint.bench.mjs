// Install footprint: `npm pack` of this checkout (built dist), installed with npm into a fresh
// folder as a user's project would, then every package in its node_modules counted and every
// byte summed (file sizes). Goals: ≤ 15 packages and ≤ 6 MB. Needs `npm run build` first; uses
// the registry (or npm's cache) for the dependencies.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './support.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(path.join(os.tmpdir(), 'kiln-footprint-'));
try {
  // --ignore-scripts: pack the dist as built, without `prepare` building it again.
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: REPO,
      encoding: 'utf8',
    }),
  )[0];
  const project = path.join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'footprint', version: '1.0.0', private: true }),
  );
  execFileSync(
    npm,
    ['install', path.join(work, packed.filename), '--no-audit', '--no-fund', '--prefer-offline'],
    { cwd: project, stdio: 'pipe' },
  );
  const packages = [];
  /** Every folder holding a package under a node_modules, nested ones included. */
  const walk = (nm) => {
    for (const name of safeList(nm)) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) {
        for (const sub of safeList(path.join(nm, name)))
          visit(path.join(nm, name, sub), `${name}/${sub}`);
      } else {
        visit(path.join(nm, name), name);
      }
    }
  };
  const visit = (dir, name) => {
    packages.push({ name, bytes: bytesOf(dir, true) });
    walk(path.join(dir, 'node_modules'));
  };
  walk(path.join(project, 'node_modules'));
  packages.sort((a, b) => b.bytes - a.bytes);
  const total = packages.reduce((n, p) => n + p.bytes, 0);
  const mb = (b) => (b / 1e6).toFixed(2);
  console.log(`footprint of npm i ${packed.filename} (tarball ${mb(packed.size)} MB)`);
  console.log(`packages  ${packages.length}  (goal ≤ 15)`);
  console.log(`on disk   ${mb(total)} MB  (goal ≤ 6 MB)`);
  for (const p of packages) console.log(`  ${p.name.padEnd(24)} ${mb(p.bytes).padStart(6)} MB`);
  console.log(
    JSON.stringify({
      bench: 'footprint',
      packages: packages.length,
      bytes: total,
      tarballBytes: packed.size,
      perPackage: Object.fromEntries(packages.map((p) => [p.name, p.bytes])),
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** File bytes under `dir`, not counting nested node_modules (those are packages of their own). */
function bytesOf(dir, top) {
  let n = 0;
  for (const name of safeList(dir)) {
    if (top && name === 'node_modules') continue;
    const p = path.join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) n += bytesOf(p, false);
    else n += st.size;
  }
  return n;
}
