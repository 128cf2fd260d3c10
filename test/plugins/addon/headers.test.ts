import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findNodeApiHeaders,
  headerReport,
  missingNodeOnlyHeader,
  nodeIncludeDir,
} from '../../../src/plugins/addon/headers.js';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';

function bare(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-headers-'));
  writeFileSync(path.join(root, 'package.json'), '{"name":"bare"}');
  return root;
}

const REAL_HEADERS = path.join(REPO_ROOT, 'node_modules', 'node-api-headers');

/**
 * A package with `package.json` fields `pkg`, and node-api-headers installed in `installAt`
 * (relative to the package: `.` for its own node_modules, `..` for a hoisted copy) or nowhere.
 */
function withHeaders(pkg: Record<string, unknown>, installAt: '.' | '..' | undefined): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'kiln-headers-'));
  const root = path.join(base, 'pkg');
  mkdirSync(root);
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'pkg', ...pkg }));
  if (installAt) {
    const modules = path.join(root, installAt, 'node_modules');
    mkdirSync(modules, { recursive: true });
    symlinkSync(REAL_HEADERS, path.join(modules, 'node-api-headers'), 'dir');
  }
  return root;
}

const nodeHasHeaders = existsSync(path.join(nodeIncludeDir(), 'node_api.h'));

describe('Node-API headers (offline)', () => {
  it('auto: uses node-api-headers when the package declares it', () => {
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

  it.each(['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'])(
    'auto: node-api-headers named in %s is used, resolved from the package root',
    (field) => {
      const root = withHeaders({ [field]: { 'node-api-headers': '^1.0.0' } }, '..');
      const h = findNodeApiHeaders(root, 'auto');
      expect(h.source).toBe('node-api-headers');
      // Found in the parent's node_modules, as require does (symlinks resolved).
      expect(h.includeDir).toBe(path.join(realpathSync(REAL_HEADERS), 'include'));
      expect(h.reason).toBe(`${field} of package.json`);
    },
  );

  it.runIf(nodeHasHeaders)(
    "auto: a node-api-headers the package does not declare (another package's dependency) is ignored",
    () => {
      const root = withHeaders({ devDependencies: { 'some-tool': '1.0.0' } }, '.');
      const h = findNodeApiHeaders(root, 'auto');
      expect(h).toMatchObject({ source: 'node', includeDir: nodeIncludeDir() });
      expect(h.reason).toContain('does not declare node-api-headers');
      // Asked for by name, it is still found.
      expect(findNodeApiHeaders(root, 'node-api-headers').source).toBe('node-api-headers');
    },
  );

  it('auto: declared but not installed is TOOL_NOT_FOUND saying to install', () => {
    const root = withHeaders({ devDependencies: { 'node-api-headers': '^1.0.0' } }, undefined);
    expect(() => findNodeApiHeaders(root, 'auto')).toThrow(
      expect.objectContaining({
        code: 'TOOL_NOT_FOUND',
        message: expect.stringContaining('declares node-api-headers (devDependencies)'),
        hint: expect.stringContaining('npm install'),
      }),
    );
  });

  it("names the Node-only header a compile missed, in gcc's and clang's words", () => {
    expect(missingNodeOnlyHeader('b.cc:1:10: fatal error: node.h: No such file or directory')).toBe(
      'node.h',
    );
    expect(missingNodeOnlyHeader("b.cc:1:10: fatal error: 'uv.h' file not found")).toBe('uv.h');
    expect(missingNodeOnlyHeader("fatal error: 'v8-isolate.h' file not found")).toBe(
      'v8-isolate.h',
    );
    expect(missingNodeOnlyHeader('fatal error: zlib.h: No such file or directory')).toBeUndefined();
  });

  it('reports what doctor shows, including node-addon-api', () => {
    const r = headerReport(REPO_ROOT);
    expect(r.auto?.source).toBe('node-api-headers');
    expect(r.nodeAddonApi).toMatch(/node-addon-api$/);
  });
});

describe('a compile that needs node.h against node-api-headers', () => {
  const test = itWith('cc', 'c++');
  test("fails with a hint to use headers: 'node', which builds it", async () => {
    const config = (headers: string) => `import { addon, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [addon({ name: 'binding', sources: ['src/binding.cc'], ${headers} })] });
`;
    const root = makePackage({
      'build.config.ts': config(''),
      'src/binding.cc':
        '#include <node.h>\n#include <node_api.h>\nNAPI_MODULE_INIT() { (void)env; return exports; }\n',
    });
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ name: 'needs-node-h', devDependencies: { 'node-api-headers': '^1.0.0' } }),
    );
    symlinkSync(REAL_HEADERS, path.join(root, 'node_modules', 'node-api-headers'), 'dir');
    const r = await kiln(root, ['build']);
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stderr).toContain('failed to compile src/binding.cc');
    expect(r.stderr).toMatch(
      /hint: node\.h is one of Node's own headers, which node-api-headers \(devDependencies of package\.json\) does not ship: set headers: 'node'/,
    );
    if (!nodeHasHeaders || !existsSync(path.join(nodeIncludeDir(), 'node.h'))) return;
    writeFileSync(path.join(root, 'build.config.ts'), config("headers: 'node'"));
    const fixed = await kiln(root, ['build']);
    expect(fixed.exitCode, fixed.all).toBe(0);
  });
});
