// Small helpers shared by the benchmarks: timing of whole commands, medians, a temp package.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KILN = path.join(REPO, 'bin', 'kiln.js');

/** Wall time of one run of a command, in milliseconds; throws if it fails. */
export function timeRun(file, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(file, args, { stdio: 'pipe', ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${file} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  return ms;
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs each command `rounds` times, interleaved so machine noise hits all of them alike. */
export function compare(commands, rounds) {
  const times = commands.map(() => []);
  for (let i = 0; i < rounds; i++) {
    for (const [k, c] of commands.entries()) times[k].push(timeRun(c.file, c.args, c.options));
  }
  return times.map(median);
}

export function tempPackage(files) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-'));
  mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  symlinkSync(REPO, path.join(root, 'node_modules', 'kilnjs'), 'dir');
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'bench-pkg', version: '1.0.0', type: 'module' }),
  );
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}
