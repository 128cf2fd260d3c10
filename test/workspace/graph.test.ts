import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverWorkspace, type WorkspacePackage } from '../../src/workspace/discover.js';
import { buildGraph, selectPackages } from '../../src/workspace/graph.js';

const pkg = (name: string, dependsOn: string[], config = true): WorkspacePackage => ({
  name,
  version: '1.0.0',
  root: `/ws/${name}`,
  config: config ? `/ws/${name}/build.config.ts` : undefined,
  dependsOn,
});

describe('workspace graph', () => {
  it('orders through packages without a build config', () => {
    const graph = buildGraph([
      pkg('app', ['glue']),
      pkg('glue', ['zlib-sys'], false),
      pkg('zlib-sys', []),
    ]);
    expect([...graph.keys()].sort()).toEqual(['app', 'zlib-sys']);
    expect(graph.get('app')?.needs).toEqual(['zlib-sys']);
  });

  it('ignores dependencies outside the workspace', () => {
    const graph = buildGraph([pkg('app', ['left-pad', 'node-addon-api'])]);
    expect(graph.get('app')?.needs).toEqual([]);
  });

  it('names the cycle between packages with build configs', () => {
    expect(() =>
      buildGraph([pkg('a', ['b']), pkg('b', ['c']), pkg('c', ['a']), pkg('d', [])]),
    ).toThrowError(
      expect.objectContaining({
        code: 'WORKSPACE_CYCLE',
        message: expect.stringContaining('a → b → c → a'),
      }),
    );
  });

  it('selects filtered packages by name or glob, with what they need', () => {
    const graph = buildGraph([
      pkg('@acme/zlib-sys', []),
      pkg('@acme/png-sys', ['@acme/zlib-sys']),
      pkg('@acme/image', ['@acme/png-sys']),
      pkg('other', []),
    ]);
    expect([...selectPackages(graph, ['@acme/png-sys'])].sort()).toEqual([
      '@acme/png-sys',
      '@acme/zlib-sys',
    ]);
    expect([...selectPackages(graph, ['@acme/*'])].sort()).toEqual([
      '@acme/image',
      '@acme/png-sys',
      '@acme/zlib-sys',
    ]);
    expect(() => selectPackages(graph, ['nope'])).toThrowError(/--filter nope matches no package/);
  });
});

describe('workspace discovery', () => {
  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-ws-'));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    return root;
  }

  it('reads npm/yarn workspaces globs and negations', async () => {
    const root = tree({
      'package.json': JSON.stringify({ workspaces: ['packages/*', '!packages/skip'] }),
      'packages/a/package.json': JSON.stringify({ name: 'a', devDependencies: { b: '*' } }),
      'packages/a/build.config.ts': '',
      'packages/b/package.json': JSON.stringify({ name: 'b' }),
      'packages/skip/package.json': JSON.stringify({ name: 'skip' }),
    });
    const found = await discoverWorkspace(root);
    expect(found.map((p) => [p.name, !!p.config, p.dependsOn])).toEqual([
      ['a', true, ['b']],
      ['b', false, []],
    ]);
  });

  it('reads pnpm-workspace.yaml', async () => {
    const root = tree({
      'package.json': '{}',
      'pnpm-workspace.yaml': 'packages:\n  - "libs/*"\n',
      'libs/x/package.json': JSON.stringify({
        name: 'x',
        optionalDependencies: { y: 'workspace:*' },
      }),
      'libs/y/package.json': JSON.stringify({ name: 'y' }),
    });
    expect((await discoverWorkspace(root)).map((p) => p.name)).toEqual(['x', 'y']);
  });

  it('says what to add when there are no workspaces', async () => {
    const root = tree({ 'package.json': '{}' });
    await expect(discoverWorkspace(root)).rejects.toThrowError(
      expect.objectContaining({
        code: 'WORKSPACE_INVALID',
        hint: expect.stringContaining('"workspaces"'),
      }),
    );
  });
});
