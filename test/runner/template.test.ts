import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/runner/template.js';
import { hostTriple } from '../../src/target/triple.js';
import { kiln, makePackage } from '../support/package.js';

const argv = (strings: TemplateStringsArray, ...values: unknown[]) =>
  parseTemplate(strings, values as never);

describe('ctx.$ template parsing', () => {
  it('splits literal text on whitespace and keeps each interpolation one argument', () => {
    const tricky = `it's "quoted" $(rm -rf ~) \`x\` ; | & > out`;
    expect(argv`make  -C\tvendor\n ${tricky}`).toEqual(['make', '-C', 'vendor', tricky]);
  });

  it('joins an interpolation to the text it touches', () => {
    const dir = 'out dir';
    expect(argv`cc -I${dir} --out=${dir}/x.o ${'a'}${'b'}`).toEqual([
      'cc',
      '-Iout dir',
      '--out=out dir/x.o',
      'ab',
    ]);
  });

  it('spreads arrays, drops an empty one, and keeps an empty string', () => {
    expect(argv`tool ${['a b', 'c']} ${[]} ${''} -x${['1', '2']}`).toEqual([
      'tool',
      'a b',
      'c',
      '',
      '-x1',
      '2',
    ]);
  });

  it('takes numbers and a previous result (its stdout without the last newline)', () => {
    expect(argv`make -j${4} ${{ stdout: 'aarch64\n' }}`).toEqual(['make', '-j4', 'aarch64']);
  });

  it('refuses undefined and objects, naming the interpolation', () => {
    expect(() => argv`make ${'a'} ${undefined}`).toThrow(/interpolation 2 is undefined/);
    expect(() => argv`make ${{}}`).toThrow(/interpolation 1 is object/);
  });
});

const CONFIG = `import { defineConfig } from 'kilnjs';
const echo = 'console.log(JSON.stringify(process.argv.slice(1)))';
export default defineConfig({
  async build(ctx) {
    const weird = ctx.env.WEIRD ?? '';
    const r = await ctx.$\`\${process.execPath} -e \${echo} \${weird} \${['two words', 'x']} --flag=\${weird}\`;
    ctx.emit({ type: 'metadata', key: 'argv', value: r.stdout.trim() });
    await ctx.$({ cwd: 'sub dir' })\`\${process.execPath} -e \${'console.log("kiln:metadata=cwd=" + process.cwd())'}\`;
    if (ctx.env.FAIL) await ctx.$\`\${process.execPath} -e \${'process.exit(3)'} \${ctx.env.FAIL}\`;
  },
});
`;

describe('ctx.$ in a build config', () => {
  it('runs without a shell, parses kiln: lines into the manifest, and names a failing command', async () => {
    const root = makePackage({ 'build.config.ts': CONFIG, 'sub dir/.keep': '' });
    const weird = `a b 'c' "d" $(touch pwned) \`e\``;
    const r = await kiln(root, ['build'], { env: { WEIRD: weird } });
    expect(r.exitCode, r.all).toBe(0);
    const manifest = JSON.parse(
      readFileSync(path.join(root, `build/kiln/${hostTriple()}/release/manifest.json`), 'utf8'),
    ) as { metadata: Record<string, string> };
    expect(JSON.parse(manifest.metadata.argv!)).toEqual([
      weird,
      'two words',
      'x',
      `--flag=${weird}`,
    ]);
    expect(manifest.metadata.cwd).toBe(path.join(root, 'sub dir'));

    const failed = await kiln(root, ['build'], { env: { WEIRD: weird, FAIL: 'last arg' } });
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain(`error: ${process.execPath} exited with code 3`);
    expect(failed.stderr).toContain("'last arg'");
  });
});
