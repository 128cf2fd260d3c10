import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';

const TIMING_CC = path.join(REPO_ROOT, 'test', 'support', 'timing-cc.mjs');

describe('addon and the libraries it links share the job pool', () => {
  itWith('gcc')(
    "compiles the addon's sources while a cc library it links is still compiling; only the link waits",
    async () => {
      const lib = Array.from({ length: 6 }, (_, i) => [
        `lib/u${i}.c`,
        `int lib_u${i}(void) { return ${i}; }\n`,
      ]);
      const root = makePackage({
        'build.config.ts': `
import { addon, cc, defineConfig } from 'kilnjs';
const core = cc({ name: 'core', sources: ['lib/*.c'] });
export default defineConfig({
  plugins: [addon({ name: 'binding', sources: ['addon/*.c'], link: [core] })],
});
`,
        ...Object.fromEntries(lib),
        'addon/a.c': `#include <node_api.h>
int lib_u0(void);
static napi_value value(napi_env env, napi_callback_info info) {
  (void)info; napi_value v; napi_create_int32(env, lib_u0() + 42, &v); return v;
}
NAPI_MODULE_INIT() {
  napi_value fn; napi_create_function(env, "value", NAPI_AUTO_LENGTH, value, NULL, &fn);
  napi_set_named_property(env, exports, "value", fn); return exports;
}
`,
        'addon/b.c': 'int addon_b(void) { return 2; }\n',
      });
      const log = path.join(os.tmpdir(), `kiln-overlap-${process.pid}-${Date.now()}.log`);
      const r = await kiln(root, ['build', '-j', '2'], {
        env: { CC: TIMING_CC, TIMING_LOG: log, TIMING_SLEEP_MS: '300' },
      });
      expect(r.exitCode, r.all).toBe(0);
      const events = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { ev: string; t: number; src: string });
      const isAddon = (e: { src: string }) => e.src.includes('addon/');
      const firstAddonStart = Math.min(
        ...events.filter((e) => e.ev === 'start' && isAddon(e)).map((e) => e.t),
      );
      const lastLibEnd = Math.max(
        ...events.filter((e) => e.ev === 'end' && !isAddon(e)).map((e) => e.t),
      );
      expect(events.filter((e) => e.ev === 'start')).toHaveLength(8);
      expect(firstAddonStart).toBeLessThan(lastLibEnd);
      // And the result is right: the addon linked the finished library.
      const load = await import('node:child_process').then((cp) =>
        cp.execFileSync(process.execPath, [
          '-p',
          `require(${JSON.stringify(path.join(root, 'build/Release/binding.node'))}).value()`,
        ]),
      );
      expect(String(load).trim()).toBe('42');
    },
  );
});
