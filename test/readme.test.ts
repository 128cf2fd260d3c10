import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIRECTIVE_KEYS, parseDirectiveLine } from '../src/manifest/directive-line.js';
import { manifestSchema } from '../src/manifest/schema.js';
import { splitWords } from '../src/util/quote.js';
import { kiln, makePackage, REPO_ROOT, writeFile } from './support/package.js';
import { itWith } from './support/tools.js';

/**
 * Every code block of the README, run. A block is announced by `<!-- readme-test: NAME -->`;
 * a block without one, or a name without a handler below, fails the first test.
 */
interface Block {
  name: string;
  lang: string;
  code: string;
}

function readmeBlocks(): Block[] {
  const text = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks: Block[] = [];
  const re = /(?:<!-- readme-test: ([\w-]+) -->\n)?```(\w*)\n([\s\S]*?)\n```/g;
  for (const m of text.matchAll(re))
    blocks.push({ name: m[1] ?? '', lang: m[2] ?? '', code: m[3] ?? '' });
  return blocks;
}

const blocks = readmeBlocks();
const block = (name: string): string => {
  const b = blocks.find((x) => x.name === name);
  if (!b) throw new Error(`README has no block named ${name}`);
  return b.code;
};

const HANDLED = [
  'quick-start',
  'binding-gyp',
  'config-basic',
  'loader',
  'config-imperative',
  'api',
  'plugin',
  'plugin-test',
  'script-template',
  'directives',
  'manifest',
  'print',
  'cmake-consumer',
  'gyp-bridge',
  'workspace',
  'targets',
  'init-gyp',
  'error-pkg',
  'error-compile',
  'error-option',
  'cmake-js',
];

const ADDON_FIXTURE = path.join(REPO_ROOT, 'native-fixtures/addon');

/** The package the README's main example describes: csrc/core, csrc/include, vendor/kit, csrc/binding.c. */
function basicPackage(config: string): string {
  const root = makePackage({ 'build.config.ts': config }, { name: 'my-addon' });
  cpSync(path.join(ADDON_FIXTURE, 'core/src'), path.join(root, 'csrc/core'), { recursive: true });
  cpSync(path.join(ADDON_FIXTURE, 'core/include'), path.join(root, 'csrc/include'), {
    recursive: true,
  });
  cpSync(path.join(ADDON_FIXTURE, 'kit'), path.join(root, 'vendor/kit'), { recursive: true });
  cpSync(path.join(ADDON_FIXTURE, 'c/binding.c'), path.join(root, 'csrc/binding.c'));
  return root;
}

async function pythonLiteral(code: string): Promise<void> {
  await execa('python3', ['-c', 'import ast, sys; ast.literal_eval(sys.stdin.read())'], {
    input: code,
  });
}

describe('README', () => {
  it('announces a test for every code block', () => {
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks)
      expect(HANDLED, `block ${b.name || '(unnamed)'}: ${b.code.slice(0, 60)}`).toContain(b.name);
    expect(new Set(blocks.map((b) => b.name)).size).toBe(blocks.length);
  });

  it('quick start: both commands exist and CI runs the same test command', () => {
    const [setup, test] = block('quick-start').split('\n');
    expect(setup).toBe('scripts/setup.sh && npm run demo');
    expect(test).toBe('npm test');
    expect(statSync(path.join(REPO_ROOT, 'scripts/setup.sh')).mode & 0o111).not.toBe(0);
    const scripts = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.demo).toContain('kiln.js build');
    expect(scripts.test).toContain('vitest run');
    expect(readFileSync(path.join(REPO_ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });

  it('binding.gyp examples are valid gyp (Python literals)', async () => {
    await pythonLiteral(block('binding-gyp'));
    await pythonLiteral(block('gyp-bridge'));
  });

  it('the directive grammar lists exactly the directives the parser accepts', () => {
    const lines = block('directives').split('\n');
    const keys = lines.map((l) => /^kiln:([a-z-]+)=/.exec(l)?.[1]);
    expect(keys.sort()).toEqual([...DIRECTIVE_KEYS].sort());
    for (const line of lines) {
      // Fill the placeholders with one concrete value each.
      const concrete = line
        .replace('[static|dylib|framework[:+whole-archive]=]NAME', 'static:+whole-archive=foo')
        .replace('[native|framework=]PATH', 'framework=/Library/Frameworks')
        .replace('NAME[="VALUE"]', 'flavour="ng"')
        .replace('NAME[=VALUE]', 'LEVEL=3')
        .replace('VAR=VALUE', 'FOO=bar')
        .replace('KEY=VALUE', 'root=/x')
        .replace(/=[A-Z]+$/, '=value');
      expect(parseDirectiveLine(concrete), concrete).toBeDefined();
    }
  });

  it('kiln init converts the binding.gyp example and prints what the README shows', async () => {
    const root = basicPackage('');
    rmSync(path.join(root, 'build.config.ts'));
    writeFile(root, 'binding.gyp', block('binding-gyp'));
    const [command, ...output] = block('init-gyp').split('\n');
    expect(command).toBe('$ npx kiln init');
    const r = await kiln(root, ['init']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toBe(output.join('\n'));
  });

  it('the manifest example is a valid manifest', () => {
    expect(() => manifestSchema().parse(JSON.parse(block('manifest')))).not.toThrow();
  });

  itWith('cmake', 'gcc')('the cmake-js config builds a cmake-js project unchanged', async () => {
    const root = makePackage({ 'build.config.ts': block('cmake-js') }, { name: 'cjs-addon' });
    cpSync(path.join(REPO_ROOT, 'native-fixtures/cmake-js'), root, { recursive: true });
    const r = await kiln(root, ['build']);
    expect(r.exitCode, r.all).toBe(0);
    const addon = path.join(root, 'build', 'Release', 'cjs_addon.node');
    const run = await execa(process.execPath, [
      '-e',
      `console.log(require(${JSON.stringify(addon)}).greet())`,
    ]);
    expect(run.stdout).toBe('hello from greet');
  });

  describe('the main example package', () => {
    let root: string;
    beforeAll(async () => {
      root = basicPackage(block('config-basic'));
      const r = await kiln(root, ['build']);
      expect(r.exitCode, r.all).toBe(0);
    });

    itWith('gcc', 'cmake')('builds, and the loader example loads the addon', async () => {
      writeFile(root, 'load.mjs', block('loader'));
      const r = await execa(process.execPath, ['load.mjs'], { cwd: root });
      expect(r.stdout).toBe('42');
      expect((await kiln(root, ['build'])).stdout).toMatch(/^Fresh/m);
    });

    itWith('gcc')('the API example runs', async () => {
      writeFile(root, 'api.mjs', block('api'));
      const r = await execa(process.execPath, ['api.mjs'], { cwd: root });
      expect(r.stdout).toMatch(/^rebuilt: no previous build\n.*-lz/s);
    });

    itWith(
      'gcc',
      'cmake',
      'pkg-config',
    )('every kiln print line works', async () => {
      writeFile(
        root,
        'main.c',
        '#include <stdio.h>\nint core_add(int, int);\nint main(void) { printf("%d\\n", core_add(40, 2)); return 0; }\n',
      );
      const lines = block('print').split('\n');
      for (const line of lines) {
        const sub = /\$\(kiln ([^)]*)\)/.exec(line);
        if (sub) {
          // What the shell does with `$(kiln print ...)`: run it, split the output into words.
          const flags = await kiln(root, splitWords(sub[1]!));
          expect(flags.exitCode, flags.all).toBe(0);
          const [before, after] = line.split(sub[0]).map((part) => splitWords(part));
          const [cc, ...args] = [...before!, ...splitWords(flags.stdout), ...after!];
          await execa(cc!, args, { cwd: root });
          expect((await execa(path.join(root, 'main'))).stdout).toBe('42');
          continue;
        }
        const words = splitWords(line);
        expect(words[0]).toBe('kiln');
        const r = await kiln(root, words.slice(1));
        expect(r.exitCode, `${line}\n${r.all}`).toBe(0);
      }
      const pc = await execa('pkg-config', ['--libs', 'my-addon'], {
        env: { PKG_CONFIG_PATH: path.join(root, 'build/pkgconfig') },
      });
      expect(pc.stdout).toContain('libcore.a');
    });

    itWith('cmake', 'gcc')('the CMake consumer example links against kiln::my-addon', async () => {
      const r = await kiln(root, ['print', '--format', 'cmake', '-o', 'build/kiln.cmake']);
      expect(r.exitCode, r.all).toBe(0);
      const project = path.join(root, 'consumer');
      mkdirSync(project, { recursive: true });
      cpSync(path.join(root, 'build'), path.join(project, 'build'), { recursive: true });
      writeFile(project, 'CMakeLists.txt', block('cmake-consumer'));
      writeFile(
        project,
        'main.c',
        '#include <stdio.h>\nint core_add(int, int);\nint main(void) { printf("%d\\n", core_add(1, 2)); return 0; }\n',
      );
      await execa('cmake', ['-S', project, '-B', path.join(project, 'out')]);
      await execa('cmake', ['--build', path.join(project, 'out')]);
      expect((await execa(path.join(project, 'out/app'))).stdout).toBe('3');
    });

    itWith('gcc')('the gyp bridge commands print flags from an --out-dir build', async () => {
      const built = await kiln(root, ['build', '--out-dir', '.kiln']);
      expect(built.exitCode, built.all).toBe(0);
      for (const m of block('gyp-bridge').matchAll(/<!@\(kiln ([^)]+)\)/g)) {
        const r = await kiln(root, splitWords(m[1]!));
        expect(r.exitCode, r.all).toBe(0);
        expect(r.stdout.trim().length).toBeGreaterThan(0);
      }
    });
  });

  itWith('gcc')('the imperative example picks the system zlib and builds the addon', async () => {
    const root = makePackage({ 'build.config.ts': block('config-imperative') });
    cpSync(path.join(REPO_ROOT, 'native-fixtures/recipes/zlib'), path.join(root, 'deps/zlib'), {
      recursive: true,
    });
    writeFile(
      root,
      'csrc/zbinding.c',
      `#include <node_api.h>
#include <zlib.h>
static napi_value Version(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_string_utf8(env, zlibVersion(), NAPI_AUTO_LENGTH, &out);
  return out;
}
NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "version", NAPI_AUTO_LENGTH, Version, NULL, &fn);
  napi_set_named_property(env, exports, "version", fn);
  return exports;
}
`,
    );
    const r = await kiln(root, ['build']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/zlib [\d.]+ \(system\)/);
    const v = await execa(
      process.execPath,
      ['-p', "require('./build/Release/zbinding.node').version()"],
      { cwd: root },
    );
    expect(v.stdout).toMatch(/^\d+\.\d+/);
  });

  it('the plugin example works from a config', async () => {
    const root = makePackage({
      'codegen.ts': block('plugin'),
      'build.config.ts': `import { defineConfig } from 'kilnjs';
import { codegen } from './codegen.ts';
const gen = codegen({ symbols: ['RED', 'GREEN'] });
export default defineConfig({
  plugins: [gen],
  async build(ctx) {
    const r = await ctx.use(gen);
    ctx.emit({ type: 'metadata', key: 'count', value: String(r.count) });
  },
});
`,
    });
    const r = await kiln(root, ['build', '--json']);
    expect(r.exitCode, r.all).toBe(0);
    const manifest = JSON.parse((await kiln(root, ['print'])).stdout);
    expect(manifest.metadata).toEqual({ count: '2' });
    const header = readFileSync(path.join(manifest.includes[0], 'symbols.h'), 'utf8');
    expect(header).toBe('#define RED 0\n#define GREEN 1\n');
  });

  it('the kilnjs/testing example tests the plugin example', async () => {
    const root = makePackage({
      'codegen.ts': block('plugin'),
      'codegen.test.ts': block('plugin-test'),
    });
    const jiti = pathToFileURL(path.join(REPO_ROOT, 'node_modules/jiti/lib/jiti-register.mjs'));
    const r = await execa(process.execPath, ['--import', jiti.href, 'codegen.test.ts'], {
      cwd: root,
      reject: false,
      all: true,
    });
    expect(r.exitCode, r.all).toBe(0);
  });

  itWith('make')('the ctx.$ example runs make and a script without a shell', async () => {
    const root = makePackage({ 'build.config.ts': block('script-template') });
    writeFile(
      root,
      'vendor/lib/Makefile',
      'all:\n\t@mkdir -p "$(OUT)"\n\t@echo kiln:metadata=out=$(OUT)\n',
    );
    writeFile(
      root,
      'vendor/lib/gen.mjs',
      "console.log('kiln:metadata=' + process.argv[2].slice(2));\n",
    );
    const r = await kiln(root, ['build'], { env: { CC: 'my cc' } });
    expect(r.exitCode, r.all).toBe(0);
    const manifest = JSON.parse((await kiln(root, ['print'])).stdout);
    expect(manifest.metadata.cc).toBe('my cc');
    expect(manifest.metadata.out).toMatch(/build\/kiln\/.*\/release\/vendor$/);
  });

  itWith('gcc')('the workspace example links a dependency through ctx.deps', async () => {
    const root = makePackage({}, { name: 'monorepo' });
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ private: true, workspaces: ['packages/*'] }),
    );
    writeFile(
      root,
      'packages/zlib-sys/package.json',
      JSON.stringify({ name: '@acme/zlib-sys', version: '1.0.0', type: 'module' }),
    );
    writeFile(root, 'packages/zlib-sys/include/answer.h', 'int answer(void);\n');
    writeFile(root, 'packages/zlib-sys/csrc/answer.c', 'int answer(void) { return 42; }\n');
    writeFile(
      root,
      'packages/zlib-sys/build.config.ts',
      "import { cc, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [cc({ name: 'answer', sources: ['csrc/*.c'] })], build(ctx) { ctx.emit({ type: 'include', path: 'include' }); } });\n",
    );
    writeFile(
      root,
      'packages/addon/package.json',
      JSON.stringify({
        name: 'addon',
        type: 'module',
        dependencies: { '@acme/zlib-sys': '1.0.0' },
      }),
    );
    writeFile(root, 'packages/addon/build.config.ts', block('workspace'));
    writeFile(
      root,
      'packages/addon/src/addon.c',
      `#include <node_api.h>
#include "answer.h"
NAPI_MODULE_INIT() {
  napi_value v;
  napi_create_int32(env, answer(), &v);
  napi_set_named_property(env, exports, "answer", v);
  return exports;
}
`,
    );
    const r = await kiln(root, ['build', '--workspaces']);
    expect(r.exitCode, r.all).toBe(0);
    const v = await execa(
      process.execPath,
      ['-p', "require('./packages/addon/build/Release/addon.node').answer"],
      { cwd: root },
    );
    expect(v.stdout).toBe('42');
  });

  itWith(
    'aarch64-linux-gnu-gcc',
    'clang',
    'ccache',
  )('the target and compiler-cache commands build', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { cc, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [cc({ name: 'kadd', sources: ['csrc/*.c'] })] });\n",
      'csrc/add.c': 'int kadd(int a, int b) { return a + b; }\n',
    });
    for (const line of block('targets').split('\n')) {
      const words = splitWords(line);
      const env: Record<string, string> = { CCACHE_DIR: path.join(root, '.ccache') };
      while (words[0]?.includes('=')) {
        const [k, ...v] = words.shift()!.split('=');
        env[k!] = v.join('=');
      }
      expect(words[0]).toBe('kiln');
      const r = await kiln(root, words.slice(1), { env });
      expect(r.exitCode, `${line}\n${r.all}`).toBe(0);
    }
  });

  describe('troubleshooting messages are the real ones', () => {
    const expectLines = (stderr: string, name: string) => {
      for (const line of block(name).split('\n')) expect(stderr, line).toContain(line.trim());
    };

    it('a version pkg-config cannot satisfy', async () => {
      const root = makePackage({
        'build.config.ts':
          "import { defineConfig, pkgConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [pkgConfig('zlib', { version: '>=9.0' })] });\n",
      });
      const r = await kiln(root, ['build']);
      expect(r.exitCode).toBe(1);
      expectLines(r.stderr.replace(/1\.2\.\d+/g, '1.2.13'), 'error-pkg');
    });

    itWith('gcc')('a compile error', async () => {
      const root = makePackage({
        'build.config.ts':
          "import { cc, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [cc({ name: 'core', sources: ['csrc/*.c'] })] });\n",
        'csrc/bad.c': 'int f(void) { return undefined_thing; }\n',
      });
      const r = await kiln(root, ['build']);
      expect(r.exitCode).toBe(1);
      expectLines(r.stderr, 'error-compile');
    });

    it('a mistyped option', async () => {
      const root = makePackage({
        'build.config.ts':
          "import { defineConfig } from 'kilnjs';\nexport default defineConfig({ plugin: [] } as never);\n",
      });
      const r = await kiln(root, ['build']);
      expect(r.exitCode).toBe(2);
      expectLines(r.stderr, 'error-option');
    });
  });
});
