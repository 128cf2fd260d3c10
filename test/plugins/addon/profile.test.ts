import { existsSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { kiln, makePackage } from '../../support/package.js';
import { itWith } from '../../support/tools.js';

const it = itWith('cc');

function cAddon(): string {
  return makePackage({
    'build.config.ts': `import { addon, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [addon({ name: 'prof', sources: ['src/prof.c'] })] });
`,
    'src/prof.c': `#include <node_api.h>
NAPI_MODULE_INIT() {
  napi_value v;
  napi_create_int32(env, 7, &v);
  napi_set_named_property(env, exports, "seven", v);
  return exports;
}
`,
  });
}

describe('addon profiles', () => {
  it('builds Release by default, where the loaders look first; --debug builds Debug and warns when an older Release shadows it', async () => {
    const root = cAddon();
    const release = await kiln(root, ['build']);
    expect(release.exitCode, release.all).toBe(0);
    const releaseFile = path.join(root, 'build', 'Release', 'prof.node');
    expect(existsSync(releaseFile)).toBe(true);
    expect(existsSync(path.join(root, 'build', 'Debug'))).toBe(false);
    const loaded = await execa(process.execPath, [
      '-p',
      `require(${JSON.stringify(releaseFile)}).seven`,
    ]);
    expect(loaded.stdout).toBe('7');

    // Make the Release copy clearly older than what the debug build writes.
    const past = new Date(Date.now() - 60_000);
    utimesSync(releaseFile, past, past);
    const debug = await kiln(root, ['build', '--debug']);
    expect(debug.exitCode, debug.all).toBe(0);
    expect(existsSync(path.join(root, 'build', 'Debug', 'prof.node'))).toBe(true);
    expect(debug.stderr).toContain(
      'warning: build/Release/prof.node, from an earlier release build, shadows the debug addon just built',
    );
  });
});
