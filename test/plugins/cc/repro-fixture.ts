import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makePackage, REPO_ROOT } from '../../support/package.js';

/**
 * A package with a static library (`calc`, two units, one using `__FILE__` and `assert`) and a C
 * Node-API addon linking it: everything a checkout path could leak into.
 */
export function reproPackage(): string {
  return makePackage(
    {
      'build.config.ts': `import { addon, cc, defineConfig } from 'kilnjs';

const calc = cc({ name: 'calc', sources: ['native/lib/*.c'], includes: ['native/lib'] });

export default defineConfig({
  plugins: [
    calc,
    addon({ name: 'binding', sources: ['native/addon/binding.c'], includes: ['native/lib'], link: [calc] }),
  ],
});
`,
      'native/lib/calc.h': 'int calc_add(int a, int b);\nconst char *calc_where(void);\n',
      'native/lib/calc.c': `#include <assert.h>
#include "calc.h"
int calc_add(int a, int b) { assert(a >= 0); return a + b; }
`,
      'native/lib/where.c': `#include "calc.h"
const char *calc_where(void) { return __FILE__; }
`,
      'native/addon/binding.c': `#include <node_api.h>
#include "calc.h"
static napi_value Add(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2]; int32_t a = 0, b = 0; napi_value r;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_int32(env, argv[0], &a); napi_get_value_int32(env, argv[1], &b);
  napi_create_int32(env, calc_add(a, b), &r); return r;
}
static napi_value Where(napi_env env, napi_callback_info info) {
  (void)info; napi_value r;
  napi_create_string_utf8(env, calc_where(), NAPI_AUTO_LENGTH, &r); return r;
}
static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor d[] = {
    {"add", NULL, Add, NULL, NULL, NULL, napi_default, NULL},
    {"where", NULL, Where, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 2, d);
  return exports;
}
NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
`,
    },
    { name: 'repro-fixture', dirName: 'checkout' },
  );
}

/** A copy of `root` (sources and config only) at a new path with spaces and non-ASCII. */
export function copyElsewhere(root: string): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'kiln-test-'));
  const copy = path.join(base, 'other checkout ñ é', 'pkg');
  mkdirSync(copy, { recursive: true });
  for (const entry of ['build.config.ts', 'package.json', 'native']) {
    cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
  }
  mkdirSync(path.join(copy, 'node_modules'));
  symlinkSync(REPO_ROOT, path.join(copy, 'node_modules', 'kilnjs'), 'dir');
  return copy;
}

/** Every `lib*.a` and `.node` under the package's build folder, by path relative to the root. */
export function outputs(root: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (/^lib.*\.a$|\.node$/.test(e.name)) {
        found.set(path.relative(root, file), readFileSync(file));
      }
    }
  };
  walk(path.join(root, 'build'));
  return found;
}
