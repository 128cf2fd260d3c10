import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KilnError } from '../../src/errors.js';
import { resolveLocation } from '../../src/location/index.js';
import { manifestPathFor } from '../../src/manifest/io.js';
import { locateManifest, readManifest } from '../../src/manifest/read.js';
import { hostTriple } from '../../src/target/triple.js';
import { kiln, makePackage } from '../support/package.js';

describe('resolveLocation', () => {
  it('defaults to the working directory, the host and Release under build/kiln', () => {
    const loc = resolveLocation();
    const root = path.resolve(process.cwd());
    expect(loc.root).toBe(root);
    expect(loc.host.triple).toBe(hostTriple());
    expect(loc.target).toEqual(loc.host);
    expect(loc.profile).toEqual({ name: 'release', optLevel: '3', debugInfo: false });
    expect(loc.outBase).toBe(path.join(root, 'build', 'kiln'));
    expect(loc.outDir).toBe(path.join(root, 'build', 'kiln', hostTriple(), 'release'));
  });

  it('names the outDir by the normalised triple, so two spellings of a target share one build', () => {
    const a = resolveLocation({ cwd: '/pkg', target: 'arm64-apple-darwin' });
    const b = resolveLocation({ cwd: '/pkg', target: 'aarch64-apple-darwin' });
    expect(a.target.triple).toBe('aarch64-apple-darwin');
    expect(a.outDir).toBe(b.outDir);
    expect(a.outDir).toBe(path.resolve('/pkg/build/kiln/aarch64-apple-darwin/release'));
    expect(a.host.triple).toBe(hostTriple());
  });

  it('picks the profile from profile, release and debug as the CLI flags do', () => {
    expect(resolveLocation({ debug: true }).profile).toEqual({
      name: 'debug',
      optLevel: '0',
      debugInfo: true,
    });
    expect(resolveLocation({ profile: 'debug' }).profile.name).toBe('debug');
    expect(resolveLocation({ release: true }).profile.name).toBe('release');
    // --release names the default, so it wins over --debug rather than mixing the two.
    expect(resolveLocation({ release: true, debug: true }).profile.name).toBe('release');
    expect(resolveLocation({ profile: 'release', debug: true }).profile.name).toBe('release');
  });

  it('resolves a relative out base against the package root, not the process directory', () => {
    const root = path.resolve('/work/my pkg/ünï');
    const loc = resolveLocation({ cwd: root, target: 'x86_64-linux', outBase: 'out dir' });
    expect(loc.root).toBe(root);
    expect(loc.outBase).toBe(path.join(root, 'out dir'));
    expect(loc.outDir).toBe(path.join(root, 'out dir', 'x86_64-unknown-linux-gnu', 'release'));
    const abs = resolveLocation({ cwd: root, outBase: '/var/tmp/kiln-out', profile: 'debug' });
    expect(abs.outDir).toBe(path.join('/var/tmp/kiln-out', hostTriple(), 'debug'));
  });

  it('rejects a target that is not a triple and an unknown profile, naming them', () => {
    const badTarget = (() => {
      try {
        resolveLocation({ target: 'linux-x64' });
      } catch (e) {
        return e as KilnError;
      }
    })();
    expect(badTarget?.code).toBe('TARGET_INVALID');
    expect(badTarget?.message).toContain('linux-x64');
    expect(() => resolveLocation({ profile: 'fast' })).toThrow(/Unknown profile "fast"/);
  });
});

const CONFIG = `import { defineConfig } from 'kilnjs';
export default defineConfig({
  build(ctx) {
    ctx.emit({ type: 'metadata', key: 'profile', value: ctx.profile.name });
  },
});
`;

function doneEvent(stdout: string): { fresh: boolean; manifest: string } {
  const line = stdout.split('\n').find((l) => l.includes('"type":"done"'));
  if (!line) throw new Error(`no done event in:\n${stdout}`);
  return JSON.parse(line);
}

describe('every command finds the build resolveLocation names', () => {
  it('build, the fresh check, readManifest, print and clean agree on one outDir', async () => {
    const root = makePackage({ 'build.config.ts': CONFIG }, { dirName: 'pkg é "x"' });
    const where = { cwd: root, debug: true, outBase: 'out dir' };
    const { outDir } = resolveLocation(where);
    const flags = ['--debug', '--out-dir', 'out dir'];

    const first = await kiln(root, ['build', ...flags, '--json']);
    expect(first.exitCode, first.all).toBe(0);
    expect(doneEvent(first.stdout)).toMatchObject({
      fresh: false,
      manifest: manifestPathFor(outDir),
    });

    // The fresh path decides from the fingerprint before the full runner loads.
    const second = await kiln(root, ['build', ...flags, '--json']);
    expect(doneEvent(second.stdout)).toMatchObject({
      fresh: true,
      manifest: manifestPathFor(outDir),
    });

    const located = locateManifest({ cwd: root, profile: 'debug', outBase: 'out dir' });
    expect(located).toEqual({ file: manifestPathFor(outDir), profile: 'debug' });
    // Without a profile, the default (Release) is missing and the debug build is followed.
    expect(locateManifest({ cwd: root, outBase: 'out dir' })).toMatchObject({
      file: manifestPathFor(outDir),
      followed: { from: 'release', to: 'debug' },
    });
    const manifest = await readManifest({ cwd: root, profile: 'debug', outBase: 'out dir' });
    expect(manifest.metadata).toEqual({ profile: 'debug' });

    const printed = await kiln(root, ['print', '--profile', 'debug', '--out-dir', 'out dir']);
    expect(printed.exitCode, printed.all).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(manifest);

    const clean = await kiln(root, ['clean', '--profile', 'debug', '--out-dir', 'out dir']);
    expect(clean.exitCode, clean.all).toBe(0);
    expect(existsSync(outDir)).toBe(false);
  });
});
