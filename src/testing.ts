/**
 * `kilnjs/testing`: a real build context for testing a plugin without a config or the CLI. The
 * context is the runner's own (the same `ctx.use` memoisation, `ctx.cache`, job pool, directive
 * handling and path resolution), over a temp package root; events are captured, and the manifest
 * the build would write can be read back.
 *
 * ```ts
 * import { createTestBuild } from 'kilnjs/testing';
 *
 * const t = createTestBuild({ files: { 'src/a.c': 'int a(void) { return 1; }' } });
 * const lib = await t.run(myPlugin({ sources: ['src/*.c'] }));
 * expect(t.manifest().libs).toContainEqual(expect.objectContaining({ name: 'my' }));
 * ```
 */
export {
  createTestBuild,
  type TestBuild,
  type TestBuildInputs,
  type TestBuildOptions,
} from './runner/test-build.js';
