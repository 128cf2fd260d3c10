import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

const GATE_CC = path.join(REPO_ROOT, 'test', 'support', 'gate-cc.mjs');

/** Resolves once `file` holds a line `accept` accepts; rejects after `ms` (the build never got there). */
async function waitForLine(
  file: string,
  accept: (line: string) => boolean,
  ms: number,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text.split('\n').some((l) => l && accept(l))) return;
    if (Date.now() > deadline) throw new Error(`nothing in ${file} matched in ${ms} ms:\n${text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('one build graph across declared steps', () => {
  itWith('gcc')(
    "compiles a second library's and the addon's sources while the first library's compile is held; only the addon's link waits for both",
    async () => {
      const root = makePackage({
        'build.config.ts': `
import { addon, cc, defineConfig } from 'kilnjs';
const core = cc({ name: 'core', sources: ['core/*.c'] });
const extra = cc({ name: 'extra', sources: ['extra/*.c'] });
export default defineConfig({
  plugins: [core, extra, addon({ name: 'binding', sources: ['addon/*.c'], link: [core, extra] })],
});
`,
        'core/held.c': 'int core_held(void) { return 40; }\n',
        'core/more.c': 'int core_more(void) { return 1; }\n',
        'extra/e.c': 'int extra_e(void) { return 1; }\n',
        'addon/a.c': `#include <node_api.h>
int core_held(void);
int extra_e(void);
static napi_value value(napi_env env, napi_callback_info info) {
  (void)info; napi_value v; napi_create_int32(env, core_held() + extra_e() + 1, &v); return v;
}
NAPI_MODULE_INIT() {
  napi_value fn; napi_create_function(env, "value", NAPI_AUTO_LENGTH, value, NULL, &fn);
  napi_set_named_property(env, exports, "value", fn); return exports;
}
`,
      });
      const gate = mkdtempSync(path.join(os.tmpdir(), 'kiln-graph-gate-'));
      const log = path.join(gate, 'timing.log');
      // gate-cc holds the compile of core/held.c before it starts; timing-cc records every
      // compile's start and end around the real gcc.
      const build = kiln(root, ['build', '-j', '4'], {
        env: {
          CC: GATE_CC,
          GATE_DIR: gate,
          GATE_MATCH: 'core/held.c',
          GATE_WHEN: 'before',
          GATE_REAL: TIMING_CC,
          TIMING_LOG: log,
          TIMING_SLEEP_MS: '0',
        },
      });
      try {
        await waitForLine(path.join(gate, 'started'), () => true, 30_000);
        // While core/held.c cannot finish, the other library's and the addon's compiles run.
        await waitForLine(log, (l) => l.includes('"end"') && l.includes('extra/e.c'), 30_000);
        await waitForLine(log, (l) => l.includes('"end"') && l.includes('addon/a.c'), 30_000);
      } finally {
        writeFileSync(path.join(gate, 'go'), '');
      }
      const r = await build;
      expect(r.exitCode, r.all).toBe(0);
      const events = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { ev: string; t: number; src: string });
      const lastCoreEnd = Math.max(
        ...events.filter((e) => e.ev === 'end' && e.src.includes('core/')).map((e) => e.t),
      );
      const firstStart = (dir: string) =>
        Math.min(...events.filter((e) => e.ev === 'start' && e.src.includes(dir)).map((e) => e.t));
      expect(firstStart('addon/')).toBeLessThan(lastCoreEnd);
      expect(firstStart('extra/')).toBeLessThan(lastCoreEnd);
      const load = execFileSync(process.execPath, [
        '-p',
        `require(${JSON.stringify(path.join(root, 'build/Release/binding.node'))}).value()`,
      ]);
      expect(String(load).trim()).toBe('42');
    },
  );
});
