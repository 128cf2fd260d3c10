import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { kiln, makePackage } from '../../support/package.js';
import { itWith } from '../../support/tools.js';

/** `kind: 'executable'` on the host: a program linked against a static library of the same build. */
describe("cc kind: 'executable'", () => {
  itWith('cc')('links a program that runs, and relinks it when the library changes', async () => {
    const root = makePackage(
      {
        'lib/add.c': 'int add(int a, int b) { return a + b; }\n',
        'main.c':
          '#include <stdio.h>\nint add(int, int);\nint main(void) { printf("%d\\n", add(2, 3)); return 0; }\n',
        'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    const add = await ctx.use(cc({ name: 'add', sources: ['lib/*.c'] }));
    await ctx.use(cc({ name: 'tool', kind: 'executable', sources: ['main.c'], link: [add] }));
  },
});
`,
      },
      { dirName: 'exe pkg' },
    );
    const r = await kiln(root, ['build', '--json']);
    expect(r.exitCode, r.all).toBe(0);
    const outDir = /"outDir":"([^"]+)"/.exec(r.stdout)?.[1];
    expect(outDir, r.stdout).toBeDefined();
    const manifest = JSON.parse(readFileSync(path.join(outDir!, 'manifest.json'), 'utf8')) as {
      artifacts: { kind: string; path: string; step: string }[];
      libs: { name: string }[];
    };
    const program = manifest.artifacts.find((a) => a.step === 'cc:tool')!;
    expect(program.kind).toBe('executable');
    expect(path.basename(program.path)).toBe('tool');
    // A program is not something to link against.
    expect(manifest.libs.map((l) => l.name)).toEqual(['add']);
    expect(execFileSync(program.path, { encoding: 'utf8' })).toBe('5\n');

    writeFileSync(path.join(root, 'lib', 'add.c'), 'int add(int a, int b) { return a * b; }\n');
    const again = await kiln(root, ['build']);
    expect(again.exitCode, again.all).toBe(0);
    expect(execFileSync(program.path, { encoding: 'utf8' })).toBe('6\n');
  });
});
