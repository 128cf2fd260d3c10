import { describe, expect, it } from 'vitest';
import { kiln, makePackage } from '../support/package.js';

const EMPTY_CONFIG = {
  'build.config.ts': "import { defineConfig } from 'kilnjs';\nexport default defineConfig({});\n",
};

describe('kiln print after a build of the non-default profile', () => {
  it('follows the debug build when no profile is asked for, and says so on stderr', async () => {
    const root = makePackage(EMPTY_CONFIG);
    expect((await kiln(root, ['build', '--debug'])).exitCode).toBe(0);
    const r = await kiln(root, ['print']);
    expect(r.exitCode, r.all).toBe(0);
    expect(JSON.parse(r.stdout).profile).toBe('debug');
    expect(r.stderr).toContain('no release build; using the debug build');

    // An explicit profile is never swapped for another.
    const release = await kiln(root, ['print', '--release']);
    expect(release.exitCode).toBe(1);
    expect(release.stderr).toMatch(/No link manifest at .*release/);

    // Once the default profile is built, it is the one printed, without a note.
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const after = await kiln(root, ['print']);
    expect(JSON.parse(after.stdout).profile).toBe('release');
    expect(after.stderr).toBe('');
  });
});

describe('kiln print --json', () => {
  it('prints the manifest as JSON, and errors as JSON events', async () => {
    const root = makePackage(EMPTY_CONFIG);
    const missing = await kiln(root, ['print', '--json']);
    expect(missing.exitCode).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({
      type: 'error',
      code: 'MANIFEST_NOT_FOUND',
    });

    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const r = await kiln(root, ['print', '--json']);
    expect(r.exitCode, r.all).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 1, profile: 'release' });

    const mixed = await kiln(root, ['print', '--json', '--format', 'pc']);
    expect(mixed.exitCode).toBe(2);
    expect(JSON.parse(mixed.stdout)).toMatchObject({ type: 'error', code: 'USAGE' });
    expect(mixed.stdout.trim().split('\n')).toHaveLength(1);
  });
});
