import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const KILN_BIN = path.join(REPO_ROOT, 'bin', 'kiln.js');

/**
 * A throw-away npm package in a temp dir, with `kilnjs` resolvable from node_modules (a link
 * to this repo) so configs import it the way users do. `files` maps relative paths to text.
 */
export function makePackage(
  files: Record<string, string>,
  options: { name?: string; dirName?: string } = {},
): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'kiln-test-'));
  const root = options.dirName ? path.join(base, options.dirName) : base;
  mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  symlinkSync(REPO_ROOT, path.join(root, 'node_modules', 'kilnjs'), 'dir');
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify(
      { name: options.name ?? 'fixture-pkg', version: '1.2.3', type: 'module' },
      null,
      2,
    ),
  );
  for (const [rel, text] of Object.entries(files)) writeFile(root, rel, text);
  return root;
}

export function writeFile(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export interface KilnRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  all: string;
}

/** Runs the real `kiln` CLI (the built bin) in `cwd`; never throws on a non-zero exit. */
export async function kiln(
  cwd: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; timeout?: number } = {},
): Promise<KilnRun> {
  const r = await execa(process.execPath, [KILN_BIN, ...args], {
    cwd,
    env: { NO_COLOR: '1', ...options.env },
    reject: false,
    timeout: options.timeout ?? 120_000,
    all: true,
  });
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr, all: r.all ?? '' };
}
