import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { addon } from '../../../src/plugins/addon/index.js';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';

/** One C++ file over node-addon-api: `add`, and `fail`, which throws the way the mode allows. */
const SOURCE = (exceptions: boolean) => `#include <napi.h>

static Napi::Value Add(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(),
      info[0].As<Napi::Number>().DoubleValue() + info[1].As<Napi::Number>().DoubleValue());
}

static Napi::Value Fail(const Napi::CallbackInfo& info) {
${
  exceptions
    ? '  throw Napi::Error::New(info.Env(), "thrown in C++");'
    : '  Napi::Error::New(info.Env(), "set in C++").ThrowAsJavaScriptException();\n  return info.Env().Undefined();'
}
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("add", Napi::Function::New(env, Add));
  exports.Set("fail", Napi::Function::New(env, Fail));
  return exports;
}

NODE_API_MODULE(NODE_GYP_MODULE_NAME, Init)
`;

function napiPackage(extra: string, exceptions: boolean): string {
  const root = makePackage({
    'build.config.ts': `import { addon, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [addon({ name: 'binding', sources: ['src/binding.cc'], warnings: 'error', ${extra} })],
});
`,
    'src/binding.cc': SOURCE(exceptions),
  });
  // What \`npm install node-addon-api\` would give the package.
  symlinkSync(
    path.join(REPO_ROOT, 'node_modules', 'node-addon-api'),
    path.join(root, 'node_modules', 'node-addon-api'),
    'dir',
  );
  return root;
}

async function loadAndCall(root: string): Promise<{ sum: number; error: string }> {
  const [file] = globSync('build/{Release,Debug}/binding.node', { cwd: root, absolute: true });
  const script = `const b = require(${JSON.stringify(file)});
let error = '';
try { b.fail(); } catch (e) { error = e.message; }
console.log(JSON.stringify({ sum: b.add(2, 40), error }));`;
  const r = await execa(process.execPath, ['-e', script], { cwd: root });
  return JSON.parse(r.stdout);
}

describe.each([
  { family: 'gcc', cc: 'gcc', cxx: 'g++' },
  { family: 'clang', cc: 'clang', cxx: 'clang++' },
])('a node-addon-api addon with warnings: error ($family)', (c) => {
  const test = itWith(c.cc, c.cxx);
  const env = { CC: c.cc, CXX: c.cxx, CFLAGS: '', CXXFLAGS: '', LDFLAGS: '' };

  test.each([
    { exceptions: false, extra: '', error: 'set in C++' },
    { exceptions: true, extra: 'cxxExceptions: true,', error: 'thrown in C++' },
  ])('builds without a warning and loads (cxxExceptions: $exceptions)', async (t) => {
    const root = napiPackage(t.extra, t.exceptions);
    const r = await kiln(root, ['build'], { env });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).not.toMatch(/warning|redefined/);
    expect(await loadAndCall(root)).toEqual({ sum: 42, error: t.error });

    const [entry] = JSON.parse(
      readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'),
    );
    const args = entry.arguments as string[];
    expect(args).toContain(
      t.exceptions ? '-DNAPI_CPP_EXCEPTIONS' : '-DNAPI_DISABLE_CPP_EXCEPTIONS',
    );
    expect(args.filter((a) => a.includes('CPP_EXCEPTIONS'))).toHaveLength(1);
    expect(args.filter((a) => a.startsWith('-DNAPI_VERSION'))).toEqual(['-DNAPI_VERSION=8']);
  });

  test('takes NAPI_VERSION and the exceptions switch from defines, defining each once', async () => {
    const root = napiPackage(
      "defines: ['NAPI_VERSION=6', 'NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS'],",
      false,
    );
    const r = await kiln(root, ['build'], { env });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).not.toMatch(/warning|redefined/);
    const [entry] = JSON.parse(
      readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'),
    );
    const args = entry.arguments as string[];
    expect(args.filter((a) => a.startsWith('-DNAPI_VERSION'))).toEqual(['-DNAPI_VERSION=6']);
    expect(args.filter((a) => a.includes('CPP_EXCEPTIONS'))).toEqual([
      '-DNODE_ADDON_API_DISABLE_CPP_EXCEPTIONS',
    ]);
    expect((await loadAndCall(root)).sum).toBe(42);
  });
});

describe('contradictory addon options', () => {
  it('cxxExceptions: true with a NAPI_DISABLE_CPP_EXCEPTIONS define is exit 2 naming both', async () => {
    const root = napiPackage(
      'cxxExceptions: true, defines: { NAPI_DISABLE_CPP_EXCEPTIONS: true },',
      true,
    );
    const r = await kiln(root, ['build']);
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr).toContain(
      'addon(options): cxxExceptions: true contradicts defines.NAPI_DISABLE_CPP_EXCEPTIONS',
    );
    expect(r.stderr).toContain('hint:');
  });

  it.each([
    [
      { defines: ['NAPI_CPP_EXCEPTIONS'] },
      'cxxExceptions: false (the default) contradicts defines.NAPI_CPP_EXCEPTIONS',
    ],
    [
      {
        defines: ['NAPI_CPP_EXCEPTIONS', 'NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS'],
        cxxExceptions: true,
      },
      'defines.NAPI_CPP_EXCEPTIONS contradicts defines.NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS',
    ],
    [
      { flags: ['-fexceptions'] },
      'cxxExceptions: false (the default) contradicts flags: -fexceptions',
    ],
    [
      { napiVersion: 9, defines: { NAPI_VERSION: 6 } },
      'napiVersion: 9 contradicts defines.NAPI_VERSION=6',
    ],
    [{ defines: { NAPI_VERSION: 'latest' } }, 'defines.NAPI_VERSION: expected a whole number'],
  ])('%j is CONFIG_INVALID when the config loads', (options, message) => {
    expect(() => addon({ name: 'b', sources: 'a.cc', ...options })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('accepts a define that agrees with cxxExceptions, and napiVersion equal to the define', () => {
    expect(() =>
      addon({
        name: 'b',
        sources: 'a.cc',
        cxxExceptions: true,
        napiVersion: 6,
        defines: { NODE_ADDON_API_CPP_EXCEPTIONS: true, NAPI_VERSION: 6 },
      }),
    ).not.toThrow();
  });
});
