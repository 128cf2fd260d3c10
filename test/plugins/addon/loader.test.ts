import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAddon, resolveAddon } from '../../../src/plugins/addon/loader.js';
import { currentHost } from '../../../src/plugins/addon/prebuilds.js';

function tempPackage(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-loader- ñ'));
  writeFileSync(path.join(root, 'package.json'), '{"name":"p"}');
  return root;
}

describe('loadAddon', () => {
  it('looks in build/Release, build/Debug, then prebuilds/<platform>-<arch>', () => {
    const c = resolveAddon('demo', '/p').tried;
    expect(c[0]).toBe(path.join('/p', 'build', 'Release', 'demo.node'));
    expect(c[1]).toBe(path.join('/p', 'build', 'Debug', 'demo.node'));
    expect(c[2]).toBe(
      path.join('/p', 'prebuilds', `${process.platform}-${process.arch}`, 'demo.*.node'),
    );
  });

  it('throws ADDON_NOT_FOUND naming every path tried and the command to run', () => {
    const root = tempPackage();
    let caught: unknown;
    try {
      loadAddon('missing', { root });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'ADDON_NOT_FOUND',
      message: expect.stringContaining('"missing"'),
      hint: expect.stringContaining('npx kiln build'),
    });
    for (const p of resolveAddon('missing', root).tried) {
      expect((caught as { details: string }).details).toContain(p);
    }
  });

  it('finds the package root from a file URL inside it (import.meta.url)', () => {
    const root = tempPackage();
    mkdirSync(path.join(root, 'lib'));
    const file = path.join(root, 'lib', 'index.js');
    writeFileSync(file, '');
    expect(() => loadAddon('missing', { root: pathToFileURL(file) })).toThrow(
      expect.objectContaining({ details: expect.stringContaining(path.join(root, 'build')) }),
    );
  });

  it('does not hide a load failure of a file that exists', () => {
    const root = tempPackage();
    mkdirSync(path.join(root, 'build', 'Release'), { recursive: true });
    writeFileSync(path.join(root, 'build', 'Release', 'broken.node'), 'not an ELF file');
    expect(() => loadAddon('broken', { root })).toThrow(/broken\.node/);
  });
});

describe('loadAddon prebuild folders', () => {
  const single = `${process.platform}-${process.arch}`;
  const touch = (root: string, rel: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), '');
  };

  it('finds prebuildify names, the most specific first, after build/Release', () => {
    const root = tempPackage();
    touch(root, `prebuilds/${single}/demo.napi.glibc.node`);
    touch(root, `prebuilds/${single}/demo.napi.musl.node`);
    touch(root, `prebuilds/${single}/other.napi.node`);
    const host = { ...currentHost({}), libc: 'musl' as const };
    expect(resolveAddon('demo', root, host, {}).file).toBe(
      path.join(root, 'prebuilds', single, 'demo.napi.musl.node'),
    );
    expect(resolveAddon('other', root, host, {}).file).toBe(
      path.join(root, 'prebuilds', single, 'other.napi.node'),
    );
    // prebuildify's unnamed file carries the runtime tag, which node-gyp-build ranks first.
    touch(root, `prebuilds/${single}/node.napi.node`);
    expect(resolveAddon('demo', root, host, {}).file).toBe(
      path.join(root, 'prebuilds', single, 'node.napi.node'),
    );
    touch(root, 'build/Release/demo.node');
    expect(resolveAddon('demo', root, host, {}).file).toBe(
      path.join(root, 'build', 'Release', 'demo.node'),
    );
    // PREBUILDS_ONLY skips build/, as in node-gyp-build.
    expect(resolveAddon('demo', root, host, { PREBUILDS_ONLY: '1' }).file).toBe(
      path.join(root, 'prebuilds', single, 'node.napi.node'),
    );
  });

  it('looks in a multi-arch folder only when no single-arch folder holds this arch', () => {
    const root = tempPackage();
    const multi = `${process.platform}-${process.arch}+other`;
    touch(root, `prebuilds/${multi}/demo.napi.node`);
    touch(root, `prebuilds/${process.platform}-other/demo.napi.node`);
    expect(resolveAddon('demo', root, currentHost({}), {}).file).toBe(
      path.join(root, 'prebuilds', multi, 'demo.napi.node'),
    );
    // node-gyp-build looks in one folder only: the single-arch one, even when it holds no match.
    touch(root, `prebuilds/${single}/demo.napi.armv5.node`);
    expect(resolveAddon('demo', root, currentHost({}), {}).file).toBeUndefined();
  });

  it('honours <PACKAGE_NAME>_PREBUILD', () => {
    const root = tempPackage();
    const other = tempPackage();
    touch(other, `prebuilds/${single}/demo.napi.node`);
    expect(resolveAddon('demo', root, currentHost({}), { P_PREBUILD: other }).file).toBe(
      path.join(other, 'prebuilds', single, 'demo.napi.node'),
    );
  });
});
