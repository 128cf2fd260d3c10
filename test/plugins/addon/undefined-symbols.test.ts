import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { readElfDynamic } from '../../../src/plugins/addon/undefined-symbols.js';
import { HOST } from '../../support/host.js';
import { kiln, makePackage, writeFile } from '../../support/package.js';
import { itWith } from '../../support/tools.js';

const it = itWith('cc');
const linux = process.platform === 'linux';

const CONFIG = `import { addon, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [addon({ name: 'binding', sources: ['csrc/binding.c'] })] });
`;

/** A C addon whose init calls `call` (a libm function, a Node-API function, or nothing real). */
function binding(call: string): string {
  return `#include <math.h>
#include <node_api.h>
double kiln_no_such_function(double);
static napi_value Init(napi_env env, napi_value exports) {
  napi_value v;
  napi_create_double(env, ${call}, &v);
  napi_set_named_property(env, exports, "value", v);
  return exports;
}
NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
`;
}

describe.runIf(linux)('addon: undefined symbols after the link', () => {
  it('fails the build naming a function that exists nowhere, and keeps the previous addon', async () => {
    const root = makePackage({ 'build.config.ts': CONFIG }, { dirName: "sym's pkg" });
    writeFile(root, 'csrc/binding.c', binding('cos(0.0) + sqrt(4.0)'));
    const good = await kiln(root, ['build']);
    expect(good.exitCode, good.all).toBe(0);
    const addonFile = path.join(root, 'build', 'Release', 'binding.node');
    const before = readFileSync(addonFile);

    writeFile(root, 'csrc/binding.c', binding('kiln_no_such_function(1.0)'));
    const bad = await kiln(root, ['build']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(
      'binding.node links but cannot be loaded: undefined symbol kiln_no_such_function',
    );
    expect(bad.stderr).not.toMatch(/undefined symbols? .*napi_create_double/);
    expect(readFileSync(addonFile).equals(before)).toBe(true);
  });

  itWith('aarch64-linux-gnu-gcc')(
    'skips the check for a cross target, whose node is not the running one',
    async () => {
      const root = makePackage({ 'build.config.ts': CONFIG });
      writeFile(root, 'csrc/binding.c', binding('kiln_no_such_function(1.0)'));
      const r = await kiln(root, ['build', '--target', 'aarch64-unknown-linux-gnu', '--verbose']);
      expect(r.exitCode, r.all).toBe(0);
      expect(r.all).toContain(
        `undefined-symbol check of binding.node skipped: the running node is built for ${HOST}, not aarch64-unknown-linux-gnu`,
      );
    },
  );

  it('reads what the running node exports and what an addon needs', async () => {
    const node = await readElfDynamic(process.execPath);
    expect(node?.defined).toContain('napi_create_double');
  });
});
