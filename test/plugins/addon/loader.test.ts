import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addonCandidates, loadAddon } from '../../../src/plugins/addon/loader.js';

function tempPackage(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-loader- ñ'));
  writeFileSync(path.join(root, 'package.json'), '{"name":"p"}');
  return root;
}

describe('loadAddon', () => {
  it('looks in build/Release, build/Debug, then prebuilds/<platform>-<arch>', () => {
    const c = addonCandidates('demo', '/p');
    expect(c[0]).toBe(path.join('/p', 'build', 'Release', 'demo.node'));
    expect(c[1]).toBe(path.join('/p', 'build', 'Debug', 'demo.node'));
    expect(c.at(-1)).toBe(
      path.join('/p', 'prebuilds', `${process.platform}-${process.arch}`, 'demo.napi.node'),
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
    for (const p of addonCandidates('missing', root)) {
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
  it('also looks in a multi-arch folder that holds this arch (darwin-x64+arm64 style)', () => {
    const root = tempPackage();
    const multi = `${process.platform}-${process.arch}+other`;
    mkdirSync(path.join(root, 'prebuilds', multi), { recursive: true });
    mkdirSync(path.join(root, 'prebuilds', `${process.platform}-other`), { recursive: true });
    const dirs = addonCandidates('demo', root).map((c) => path.basename(path.dirname(c)));
    expect(dirs).toContain(multi);
    expect(dirs).not.toContain(`${process.platform}-other`);
    expect(dirs.indexOf(`${process.platform}-${process.arch}`)).toBeLessThan(dirs.indexOf(multi));
  });
});
