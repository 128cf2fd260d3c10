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

/** The fewest rounds any benchmark takes: a median of fewer says little on a shared machine. */
export const MIN_ROUNDS = 5;

/** Rounds from the environment variable `name` (default `fallback`), never fewer than MIN_ROUNDS. */
export function roundsFrom(name, fallback) {
  return Math.max(MIN_ROUNDS, Number(process.env[name] ?? fallback) || fallback);
}

/** Median, min and max of samples (milliseconds). */
export function stats(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Runs each command `rounds` times, interleaved (a, b, a, b, ...) so machine noise hits all of
 * them alike; returns each command's samples.
 */
export function sample(commands, rounds) {
  const times = commands.map(() => []);
  for (let i = 0; i < rounds; i++) {
    for (const [k, c] of commands.entries()) times[k].push(timeRun(c.file, c.args, c.options));
  }
  return times;
}

/** Like `sample`, but only the medians. */
export function compare(commands, rounds) {
  return sample(commands, rounds).map(median);
}

const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

/**
 * Prints the one table every benchmark ends with: per row the peer's and Kiln's median, min and
 * max over the interleaved rounds, and the ratio of the medians (Kiln / peer; below 1 is faster).
 * `rows`: { name, peer: string, peerMs: number[], kilnMs: number[], goal?: string }.
 */
export function printTable(title, rows, rounds) {
  const lines = rows.map((r) => {
    const p = stats(r.peerMs);
    const k = stats(r.kilnMs);
    return [
      r.name,
      r.peer,
      fmt(p.median),
      `${fmt(p.min)}–${fmt(p.max)}`,
      fmt(k.median),
      `${fmt(k.min)}–${fmt(k.max)}`,
      `${(k.median / p.median).toFixed(2)}×`,
      r.goal ?? '',
    ];
  });
  const head = ['measurement', 'peer', 'peer ms', 'min–max', 'kiln ms', 'min–max', 'ratio', 'goal'];
  const width = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  console.log(`${title} (medians of ${rounds} interleaved rounds; ratio = kiln / peer)`);
  console.log(row(head));
  for (const l of lines) console.log(row(l));
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
