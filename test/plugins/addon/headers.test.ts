import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findNodeApiHeaders,
  headerReport,
  nodeIncludeDir,
} from '../../../src/plugins/addon/headers.js';
import { REPO_ROOT } from '../../support/package.js';

function bare(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-headers-'));
  writeFileSync(path.join(root, 'package.json'), '{"name":"bare"}');
  return root;
}

const nodeHasHeaders = existsSync(path.join(nodeIncludeDir(), 'node_api.h'));

describe('Node-API headers (offline)', () => {
  it('auto: prefers node-api-headers when the package resolves it', () => {
    const h = findNodeApiHeaders(REPO_ROOT, 'auto');
    expect(h.source).toBe('node-api-headers');
    expect(existsSync(path.join(h.includeDir, 'node_api.h'))).toBe(true);
  });

  it.runIf(nodeHasHeaders)("auto: falls back to the running Node's include/node", () => {
    const h = findNodeApiHeaders(bare(), 'auto');
    expect(h).toMatchObject({ source: 'node', includeDir: nodeIncludeDir() });
  });

  it.runIf(nodeHasHeaders)(
    "node: uses the running Node's headers even when node-api-headers is there",
    () => {
      expect(findNodeApiHeaders(REPO_ROOT, 'node').source).toBe('node');
    },
  );

  it('node-api-headers: a package without it gets TOOL_NOT_FOUND with the install command', () => {
    expect(() => findNodeApiHeaders(bare(), 'node-api-headers')).toThrow(
      expect.objectContaining({
        code: 'TOOL_NOT_FOUND',
        hint: 'Run: npm install --save-dev node-api-headers',
      }),
    );
  });

  it('reports what doctor shows, including node-addon-api', () => {
    const r = headerReport(REPO_ROOT);
    expect(r.auto?.source).toBe('node-api-headers');
    expect(r.nodeAddonApi).toMatch(/node-addon-api$/);
  });
});
