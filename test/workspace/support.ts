import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePackage } from '../support/package.js';

/** A workspace in a temp dir, `kilnjs` linked at its root so every package resolves it. */
export function workspace(files: Record<string, string>): string {
  const root = makePackage(files, { name: 'ws-root' });
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ ...pkg, private: true, workspaces: ['packages/*'] }),
  );
  return root;
}
