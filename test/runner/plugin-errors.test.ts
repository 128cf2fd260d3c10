import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../../src/index.js';
import { kiln, makePackage } from '../support/package.js';

function events(stdout: string): BuildEvent[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as BuildEvent);
}

/** A config whose build uses `outer`, which uses `inner`, which throws `throwing`. */
function failingPackage(throwing: string, prelude = ''): string {
  return makePackage({
    'build.config.ts': `import { defineConfig, defineErrorCode, definePlugin, KilnError } from 'kilnjs';
${prelude}
const inner = definePlugin({
  name: 'codegen',
  run() {
    ${throwing}
  },
});
const outer = definePlugin({
  name: 'wrapper',
  async run(ctx) {
    return ctx.use(inner);
  },
});
export default defineConfig({ plugins: [outer] });
`,
  });
}

describe('a plugin that throws through ctx.use', () => {
  it('a plain Error: PLUGIN_FAILED naming the innermost plugin, plugin-end ok: false for each', async () => {
    const root = failingPackage("throw new Error('schema.json has no types');");
    const human = await kiln(root, ['build']);
    expect(human.exitCode, human.all).toBe(1);
    expect(human.stderr).toContain('error: the plugin "codegen" failed: schema.json has no types');
    expect(human.stderr).not.toContain('(in plugin');

    const json = await kiln(root, ['build', '--json']);
    expect(json.exitCode).toBe(1);
    const all = events(json.stdout);
    expect(all).toContainEqual(
      expect.objectContaining({ type: 'plugin-end', plugin: 'codegen', ok: false }),
    );
    expect(all).toContainEqual(
      expect.objectContaining({ type: 'plugin-end', plugin: 'wrapper', ok: false }),
    );
    const error = all.find((e) => e.type === 'error');
    expect(error).toMatchObject({ code: 'PLUGIN_FAILED', plugin: 'codegen' });
  });

  it('a KilnError keeps its code and message, and is attributed to the plugin that threw it', async () => {
    const root = failingPackage(
      "throw new KilnError('TOOL_NOT_FOUND', 'protoc was not found on PATH', { hint: 'Install protoc.' });",
    );
    const human = await kiln(root, ['build']);
    expect(human.exitCode, human.all).toBe(1);
    expect(human.stderr).toContain(
      'error: protoc was not found on PATH (in plugin "codegen")\nhint: Install protoc.',
    );

    const json = await kiln(root, ['build', '--json']);
    const all = events(json.stdout);
    expect(all.find((e) => e.type === 'error')).toEqual({
      type: 'error',
      code: 'TOOL_NOT_FOUND',
      message: 'protoc was not found on PATH',
      hint: 'Install protoc.',
      plugin: 'codegen',
    });
    expect(all).toContainEqual(
      expect.objectContaining({ type: 'plugin-end', plugin: 'codegen', ok: false }),
    );
  });

  it("a plugin's own namespaced code: its declared exit code and default hint", async () => {
    const root = failingPackage(
      'throw new KilnError(BAD_SCHEMA, \'schema.json: no "types" key\');',
      "const BAD_SCHEMA = defineErrorCode('codegen/BAD_SCHEMA', { kind: 'usage', hint: 'Add a \"types\" object to schema.json.' });",
    );
    const human = await kiln(root, ['build']);
    // Declared as a usage error: exit 2, like Kiln's own configuration errors.
    expect(human.exitCode, human.all).toBe(2);
    expect(human.stderr).toContain(
      'error: schema.json: no "types" key (in plugin "codegen")\nhint: Add a "types" object to schema.json.',
    );

    const json = await kiln(root, ['build', '--json']);
    expect(json.exitCode).toBe(2);
    expect(events(json.stdout).find((e) => e.type === 'error')).toMatchObject({
      code: 'codegen/BAD_SCHEMA',
      plugin: 'codegen',
      hint: 'Add a "types" object to schema.json.',
    });
  });

  it('a code without a namespace is refused where the plugin declares it', async () => {
    const root = failingPackage(
      "throw new Error('unreachable');",
      "defineErrorCode('BAD_SCHEMA' as 'x/Y');",
    );
    const r = await kiln(root, ['build']);
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr).toContain('"BAD_SCHEMA" is not a namespaced error code');
  });
});
