import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { kiln, makePackage } from '../support/package.js';
import { itWith } from '../support/tools.js';

interface Progress {
  type: 'progress';
  n: number;
  total: number;
  step: string;
  what: string;
}

/** The `progress` events of a `kiln build --json` run, in order. */
function progressOf(stdout: string): Progress[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string })
    .filter((e): e is Progress => e.type === 'progress');
}

const ADDON = `#include <node_api.h>
#include "shared.h"
int core_a(void);
int extra_a(void);
static napi_value value(napi_env env, napi_callback_info info) {
  (void)info; napi_value v; napi_create_int32(env, core_a() + extra_a() + SHARED, &v); return v;
}
NAPI_MODULE_INIT() {
  napi_value fn; napi_create_function(env, "value", NAPI_AUTO_LENGTH, value, NULL, &fn);
  napi_set_named_property(env, exports, "value", fn); return exports;
}
`;

describe('the build graph', () => {
  itWith('gcc')(
    'announces the progress total before the first step and never changes it; n reaches it',
    async () => {
      const root = makePackage({
        'build.config.ts': `
import { addon, cc, defineConfig } from 'kilnjs';
const core = cc({ name: 'core', sources: ['core/*.c'], includes: ['include'] });
const extra = cc({ name: 'extra', sources: ['extra/*.c'] });
export default defineConfig({
  plugins: [core, extra, addon({ name: 'binding', sources: ['addon/*.c'], includes: ['include'], link: [core, extra] })],
});
`,
        'include/shared.h': '#define SHARED 1\n',
        'core/a.c': '#include "shared.h"\nint core_a(void) { return SHARED; }\n',
        'core/b.c': 'int core_b(void) { return 2; }\n',
        'core/c.c': 'int core_c(void) { return 3; }\n',
        'extra/a.c': 'int extra_a(void) { return 4; }\n',
        'extra/b.c': 'int extra_b(void) { return 5; }\n',
        'addon/a.c': ADDON,
        'addon/b.c': 'int addon_b(void) { return 6; }\n',
      });
      const check = (events: Progress[], total: number) => {
        expect(events.map((e) => e.total)).toEqual(events.map(() => total));
        expect(events.map((e) => e.n)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      };

      // Cold: 7 compiles, 2 archives, 1 link, counted before the first compile starts.
      const cold = await kiln(root, ['build', '--json', '-j', '3']);
      expect(cold.exitCode, cold.all).toBe(0);
      const first = progressOf(cold.stdout);
      check(first, 10);
      expect(first.filter((e) => e.step === 'CC')).toHaveLength(7);
      expect(first.filter((e) => e.step === 'AR').map((e) => e.what)).toHaveLength(2);
      expect(first.at(-1)).toMatchObject({ step: 'LINK' });

      // The header two sources include (one library's, one of the addon's) changes: those two
      // recompile, that library is archived again and the addon relinks; nothing else runs.
      writeFileSync(path.join(root, 'include/shared.h'), '#define SHARED 2\n');
      const later = new Date(Date.now() + 5000);
      utimesSync(path.join(root, 'include/shared.h'), later, later);
      const warm = await kiln(root, ['build', '--json', '-j', '3']);
      expect(warm.exitCode, warm.all).toBe(0);
      const second = progressOf(warm.stdout);
      check(second, 4);
      expect(second.map((e) => `${e.step} ${path.basename(e.what)}`).sort()).toEqual([
        'AR libcore.a',
        'CC a.c',
        'CC a.c',
        'LINK binding.node',
      ]);
      expect(
        second
          .filter((e) => e.step === 'CC')
          .map((e) => e.what)
          .sort(),
      ).toEqual(['addon/a.c', 'core/a.c']);
    },
  );

  itWith(
    'gcc',
    'cmake',
    'ninja',
  )(
    'counts cmake configure, build and install in the total declared before the first job',
    async () => {
      const root = makePackage({
        'build.config.ts': `
import { cc, cmake, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [cmake({ source: 'vendor/kit' }), cc({ name: 'core', sources: ['core/*.c'] })],
});
`,
        'vendor/kit/CMakeLists.txt': `cmake_minimum_required(VERSION 3.21)
project(kit C)
add_library(kit STATIC kit.c)
install(TARGETS kit ARCHIVE DESTINATION lib)
`,
        'vendor/kit/kit.c': 'int kit(void) { return 1; }\n',
        'core/a.c': 'int core_a(void) { return 2; }\n',
      });
      const cold = await kiln(root, ['build', '--json', '-j', '2']);
      expect(cold.exitCode, cold.all).toBe(0);
      const first = progressOf(cold.stdout);
      // configure, build, install; one compile and the archive.
      expect(first.map((e) => e.total)).toEqual([5, 5, 5, 5, 5]);
      expect(first.map((e) => e.n)).toEqual([1, 2, 3, 4, 5]);
      expect(first.filter((e) => e.step === 'CMAKE').map((e) => e.what.split(' ')[0])).toEqual([
        'configure',
        'build',
        'install',
      ]);

      // A cmake source changes: build and install run again, configure does not.
      writeFileSync(path.join(root, 'vendor/kit/kit.c'), 'int kit(void) { return 3; }\n');
      const later = new Date(Date.now() + 5000);
      utimesSync(path.join(root, 'vendor/kit/kit.c'), later, later);
      const warm = await kiln(root, ['build', '--json', '-j', '2']);
      expect(warm.exitCode, warm.all).toBe(0);
      expect(progressOf(warm.stdout).map((e) => [e.n, e.total, `${e.step} ${e.what}`])).toEqual([
        [1, 2, 'CMAKE build kit'],
        [2, 2, 'CMAKE install kit'],
      ]);
    },
  );
});
