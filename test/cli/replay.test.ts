import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostTriple } from '../../src/target/triple.js';
import { kiln, makePackage } from '../support/package.js';

// When only what compile units read changed (a source, a header), `kiln build` plans from the
// plan recorded in the fingerprint instead of loading the config. These tests hold it to what a
// build through the config would do: the same compiles, the same outputs and manifest, and the
// config run again whenever anything the plan was made from changed.

const HOST = hostTriple();
const REPLAYED = 'planning as the last build did, without the config';
const outDir = (root: string) => path.join(root, 'build', 'kiln', HOST, 'release');
const manifest = (root: string) => readFileSync(path.join(outDir(root), 'manifest.json'), 'utf8');
const fingerprint = (root: string) =>
  JSON.parse(readFileSync(path.join(outDir(root), '.kiln', 'fingerprint.json'), 'utf8')).data;
const compiled = (out: string) => [...out.matchAll(/\] CC +(\S+)/g)].map((m) => m[1]).sort();

function libPackage(config?: string): string {
  return makePackage({
    'build.config.ts':
      config ??
      `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [cc({ name: 'core', sources: ['src/*.c'], includes: ['include'], defines: { CORE: '1' } })],
});
`,
    'include/core.h': '#define CORE_VALUE 1\n',
    'include/extra.h': '#define EXTRA_VALUE 10\n',
    'src/a.c': '#include "core.h"\nint core_a(void) { return CORE_VALUE; }\n',
    'src/b.c': 'int core_b(void) { return 2; }\n',
  });
}

async function build(root: string, env: Record<string, string> = {}) {
  const r = await kiln(root, ['build', '-v'], { env });
  expect(r.exitCode, r.all).toBe(0);
  return { ...r, replayed: r.all.includes(REPLAYED), compiled: compiled(r.all) };
}

describe('kiln build: replaying the recorded plan', () => {
  it('replays a header edit: the same compiles, outputs and manifest as a build through the config', async () => {
    const root = libPackage();
    await build(root);
    expect(fingerprint(root).plan.steps.map((s: { step: string }) => s.step)).toEqual(['cc:core']);

    writeFileSync(path.join(root, 'include/core.h'), '#define CORE_VALUE 7\n');
    const replay = await build(root);
    expect(replay.replayed).toBe(true);
    expect(replay.compiled).toEqual(['src/a.c']);
    const replayedManifest = manifest(root);
    const replayedPlan = fingerprint(root).plan;
    expect((await kiln(root, ['build'])).stdout).toMatch(/^Fresh /);

    // The same build through the config writes the same manifest and records the same plan.
    const full = await kiln(root, ['build', '--force', '-v']);
    expect(full.exitCode, full.all).toBe(0);
    expect(full.all).not.toContain(REPLAYED);
    expect(manifest(root)).toBe(replayedManifest);
    expect(fingerprint(root).plan).toEqual(replayedPlan);
  });

  it('records a header a source starts including during a replay, and rebuilds when it changes', async () => {
    const root = libPackage();
    await build(root);
    writeFileSync(
      path.join(root, 'src/a.c'),
      '#include "core.h"\n#include "extra.h"\nint core_a(void) { return CORE_VALUE + EXTRA_VALUE; }\n',
    );
    expect((await build(root)).replayed).toBe(true);
    expect(Object.keys(fingerprint(root).files)).toContain('include/extra.h');

    writeFileSync(path.join(root, 'include/extra.h'), '#define EXTRA_VALUE 20\n');
    const next = await build(root);
    expect(next.replayed).toBe(true);
    expect(next.compiled).toEqual(['src/a.c']);
  });

  it('runs the config when the config, a globbed folder, the environment or an output changed', async () => {
    const root = libPackage();
    await build(root);

    // The config: the plan it makes may differ.
    writeFileSync(
      path.join(root, 'build.config.ts'),
      `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [cc({ name: 'core', sources: ['src/*.c'], includes: ['include'], defines: { CORE: '2' } })],
});
`,
    );
    const config = await build(root);
    expect(config.replayed).toBe(false);
    expect(config.compiled).toEqual(['src/a.c', 'src/b.c']);
    expect(fingerprint(root).plan.steps[0].data.settings.defines).toContain('-DCORE=2');

    // A new source in a globbed folder, together with a header edit.
    writeFileSync(path.join(root, 'src/c.c'), 'int core_c(void) { return 3; }\n');
    writeFileSync(path.join(root, 'include/core.h'), '#define CORE_VALUE 2\n');
    const added = await build(root);
    expect(added.replayed).toBe(false);
    expect(added.compiled).toEqual(['src/a.c', 'src/c.c']);

    // A variable the plan read (the compiler's flags), together with a header edit.
    writeFileSync(path.join(root, 'include/core.h'), '#define CORE_VALUE 3\n');
    const flags = await build(root, { CFLAGS: '-DFROM_ENV=1' });
    expect(flags.replayed).toBe(false);
    expect(flags.compiled).toEqual(['src/a.c', 'src/b.c', 'src/c.c']);

    // An output removed (or edited) since: the build through the config remakes it.
    writeFileSync(path.join(root, 'include/core.h'), '#define CORE_VALUE 4\n');
    rmSync(path.join(outDir(root), 'cc', 'core', 'libcore.a'));
    const output = await build(root, { CFLAGS: '-DFROM_ENV=1' });
    expect(output.replayed).toBe(false);
    expect(output.compiled).toEqual(['src/a.c']);

    // A removed source is never replayed: the plan would name a file that is gone.
    rmSync(path.join(root, 'src/c.c'));
    const removed = await build(root, { CFLAGS: '-DFROM_ENV=1' });
    expect(removed.replayed).toBe(false);
    expect(fingerprint(root).plan.steps[0].data.sources.map((s: { rel: string }) => s.rel)).toEqual(
      ['src/a.c', 'src/b.c'],
    );
  });

  it('replays two steps in order: a library rebuilt relinks the shared library that links it', async () => {
    const root = libPackage(`import { cc, defineConfig } from 'kilnjs';
const core = cc({ name: 'core', sources: ['src/a.c'], includes: ['include'] });
export default defineConfig({
  plugins: [core, cc({ name: 'wrap', kind: 'shared', sources: ['src/b.c'], link: [core] })],
});
`);
    await build(root);
    writeFileSync(path.join(root, 'include/core.h'), '#define CORE_VALUE 9\n');
    const r = await build(root);
    expect(r.replayed).toBe(true);
    expect(r.compiled).toEqual(['src/a.c']);
    expect(r.all).toMatch(/AR +\S*libcore\.a[\s\S]*LINK +\S*libwrap\.so/);
  });

  it('replays an addon that links a cc library: an edited library header rebuilds both, and the addon loads the new value', async () => {
    const root = makePackage({
      'build.config.ts': `import { addon, cc, defineConfig } from 'kilnjs';
const core = cc({ name: 'core', sources: ['lib/*.c'], includes: ['include'] });
export default defineConfig({
  plugins: [addon({ name: 'binding', sources: ['addon/*.c'], includes: ['include'], link: [core] })],
});
`,
      'include/core.h': '#define CORE_VALUE 1\nint core_value(void);\n',
      'lib/core.c': '#include "core.h"\nint core_value(void) { return CORE_VALUE; }\n',
      'addon/a.c': `#include <node_api.h>
#include "core.h"
static napi_value value(napi_env env, napi_callback_info info) {
  (void)info; napi_value v; napi_create_int32(env, core_value() * 100 + CORE_VALUE, &v); return v;
}
NAPI_MODULE_INIT() {
  napi_value fn; napi_create_function(env, "value", NAPI_AUTO_LENGTH, value, NULL, &fn);
  napi_set_named_property(env, exports, "value", fn); return exports;
}
`,
      'addon/b.c': 'int addon_b(void) { return 2; }\n',
    });
    const load = () =>
      execFileSync(process.execPath, [
        '-e',
        `console.log(require(${JSON.stringify(path.join(root, 'build', 'Release', 'binding.node'))}).value())`,
      ])
        .toString()
        .trim();
    await build(root);
    expect(load()).toBe('101');
    expect(fingerprint(root).plan.steps.map((s: { step: string }) => s.step)).toEqual([
      'cc:core',
      'addon:binding',
    ]);

    writeFileSync(
      path.join(root, 'include/core.h'),
      '#define CORE_VALUE 7\nint core_value(void);\n',
    );
    const replay = await build(root);
    expect(replay.replayed).toBe(true);
    expect(replay.compiled).toEqual(['addon/a.c', 'lib/core.c']);
    expect(load()).toBe('707');
    const replayedManifest = manifest(root);
    expect((await kiln(root, ['build'])).stdout).toMatch(/^Fresh /);

    const full = await kiln(root, ['build', '--force', '-v']);
    expect(full.exitCode, full.all).toBe(0);
    expect(full.all).not.toContain(REPLAYED);
    expect(manifest(root)).toBe(replayedManifest);
  });

  it('a recorded plan that is not valid is ignored: the config runs, and records a good one', async () => {
    const root = libPackage();
    await build(root);
    const file = path.join(outDir(root), '.kiln', 'fingerprint.json');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    stored.data.plan.steps[0].data.sources = 'not a list';
    writeFileSync(file, JSON.stringify(stored));
    writeFileSync(path.join(root, 'include/core.h'), '#define CORE_VALUE 3\n');
    const r = await build(root);
    expect(r.replayed).toBe(false);
    expect(r.compiled).toEqual(['src/a.c']);
    expect(fingerprint(root).plan.steps[0].data.sources).toHaveLength(2);
  });

  it('never records a plan for a build with build(ctx) or a plugin that is not a recorded step', async () => {
    const withBuild = libPackage(`import { cc, defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    await ctx.use(cc({ name: 'core', sources: ['src/*.c'], includes: ['include'] }));
  },
});
`);
    await build(withBuild);
    expect(fingerprint(withBuild).plan).toBeUndefined();
    writeFileSync(path.join(withBuild, 'include/core.h'), '#define CORE_VALUE 5\n');
    const r = await build(withBuild);
    expect(r.replayed).toBe(false);
    expect(r.compiled).toEqual(['src/a.c']);

    const withOwnPlugin = libPackage(`import { cc, defineConfig } from 'kilnjs';
const stamp = { name: 'stamp', async run(ctx) { ctx.emit({ type: 'metadata', key: 'k', value: 'v' }); } };
export default defineConfig({ plugins: [stamp, cc({ name: 'core', sources: ['src/*.c'], includes: ['include'] })] });
`);
    await build(withOwnPlugin);
    expect(fingerprint(withOwnPlugin).plan).toBeUndefined();
  });
});
