import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { convertBindingGyp } from '../../src/gyp/convert.js';
import { kiln, makePackage, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';
import { expectSameAsGyp } from './fixtures.js';

/** A package using most of what binding.gyp files do, with a static library in deps/core.gyp. */
const BINDING = `# The addon, over a bundled library and the system zlib.
{
  'variables': {
    'with_extra%': 1,
    'greeting%': 'hello',
    'napi': '<!(node -p "6 + 2")',
  },
  'includes': ['common.gypi'],
  'targets': [
    {
      'target_name': 'binding',
      'sources': ['src/binding.c', 'src/binding.h', 'src/extra.cc'],
      'dependencies': ['deps/core.gyp:core'],
      'include_dirs': ["<!(node -p \\"require('node-addon-api').include_dir\\")", 'src'],
      'defines': ['GREETING="<(greeting)"', 'NAPI_VERSION=<(napi)'],
      'cflags': ['-std=c99', '<!@(pkg-config --cflags zlib)'],
      'cflags!': ['-fno-exceptions'],
      'cflags_cc!': ['-fno-exceptions'],
      'cflags_cc': ['-Wno-unused-parameter'],
      'libraries': ['<!@(pkg-config --libs zlib)'],
      'conditions': [
        ['OS=="linux"', {'defines': ['ON_LINUX']}],
        ['OS=="mac"', {
          'defines': ['ON_MAC'],
          'xcode_settings': {'CLANG_CXX_LANGUAGE_STANDARD': 'c++20', 'MACOSX_DEPLOYMENT_TARGET': '11.0'},
        }],
        ['OS=="win"', {'defines': ['ON_WIN']}, {'defines': ['NOT_WIN']}],
        ['with_extra==1', {'defines': ['WITH_EXTRA']}],
        ['target_arch=="x64" or target_arch=="arm64"', {'defines': ['SIXTY_FOUR']}],
      ],
      'actions': [{
        'action_name': 'stamp',
        'inputs': [], 'outputs': ['<(PRODUCT_DIR)/stamp'],
        'action': ['touch', '<@(_outputs)'],
      }],
    },
  ],
}
`;
const COMMON = `{ 'target_defaults': { 'defines': ['FROM_GYPI', 'SHELL=<!(echo $HOME | tr a-z A-Z)'] } }`;
const CORE_GYP = `{
  'targets': [{
    'target_name': 'core',
    'type': 'static_library',
    'sources': ['core.c', 'core.h'],
    'include_dirs': ['include'],
    'direct_dependent_settings': { 'include_dirs': ['include'], 'defines': ['USING_CORE'] },
  }],
}`;

const SOURCES = {
  'src/binding.c': `#include <node_api.h>
#include <zlib.h>
#include "core.h"
#include "binding.h"
#if !defined(ON_LINUX) || !defined(NOT_WIN) || !defined(WITH_EXTRA) || !defined(USING_CORE) || !defined(FROM_GYPI) || NAPI_VERSION != 8
#error settings missing
#endif
static napi_value Add(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2]; int32_t a, b; napi_value out;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_int32(env, argv[0], &a); napi_get_value_int32(env, argv[1], &b);
  napi_create_int32(env, core_add(a, b) + extra_zero() + (int)(zlibVersion()[0] == 0), &out);
  return out;
}
NAPI_MODULE_INIT() {
  napi_value fn; napi_create_function(env, "add", NAPI_AUTO_LENGTH, Add, NULL, &fn);
  napi_set_named_property(env, exports, "add", fn);
  return exports;
}
`,
  'src/binding.h': 'int extra_zero(void);\n',
  'src/extra.cc': `#include <stdexcept>
extern "C" int extra_zero(void) { try { throw std::runtime_error(GREETING); } catch (const std::exception &) { return 0; } }
`,
  'deps/core.gyp': CORE_GYP,
  'deps/core.c': '#include "core.h"\nint core_add(int a, int b) { return a + b; }\n',
  'deps/core.h': '',
  'deps/include/core.h': 'int core_add(int a, int b);\n',
  'binding.gyp': BINDING,
  'common.gypi': COMMON,
};

describe('convertBindingGyp', () => {
  it('converts targets, dependencies, variables, conditions and expansions for the platform', () => {
    const root = makePackage(SOURCES);
    const r = convertBindingGyp(root, 'binding.gyp', { os: 'linux', arch: 'x64' });
    expect(r.text).toContain("import { addon, cc, defineConfig, pkgConfig } from 'kilnjs';");
    expect(r.text).toContain("const zlib = pkgConfig('zlib');");
    expect(r.text).toMatch(
      /const core = cc\(\{\n {2}name: 'core',\n {2}sources: \['deps\/core\.c'\],\n {2}includes: \['deps\/include'\],\n\}\);/,
    );
    const addonCall = r.text.slice(r.text.indexOf('const binding = addon('));
    expect(addonCall).toContain("sources: ['src/binding.c', 'src/extra.cc']");
    expect(addonCall).toContain("includes: ['src', 'deps/include']");
    expect(addonCall).toContain(
      // target_defaults first (from the .gypi), then the target's, then the dependency's.
      `defines: [\n    'FROM_GYPI',\n    'GREETING="hello"',\n    'NAPI_VERSION=8',\n    'ON_LINUX',\n    'NOT_WIN',\n    'WITH_EXTRA',\n    'SIXTY_FOUR',\n    'USING_CORE',\n  ],`,
    );
    expect(addonCall).toContain("std: 'c99'");
    expect(addonCall).toContain("cxxFlags: ['-Wno-unused-parameter']");
    expect(addonCall).toContain('cxxExceptions: true');
    expect(addonCall).toContain('link: [zlib, core]');
    expect(r.text).toContain('export default defineConfig({\n  plugins: [binding],\n});');
    // Conditions for other platforms are named; commands run once are shown with their output.
    expect(r.text).toContain('//   OS=="mac"');
    expect(r.text).toContain('`node -p "6 + 2"` → "8"');
    // What needs a hand: the action and the command that needs a shell, with the gyp text.
    expect(r.text).toMatch(
      /\/\/ TODO\(kiln\): actions: Kiln does not run gyp actions.*\n\/\/ 'actions': \[/,
    );
    expect(r.text).toContain(
      '// TODO(kiln): a command expansion that needs a shell (Kiln runs no shell)',
    );
    expect(r.text).toContain('// <!(echo $HOME | tr a-z A-Z)');
    expect(r.needsHand).toHaveLength(3);
    expect(r.converted).toContain("pkg-config zlib → pkgConfig('zlib')");
  });

  it('takes the mac branches, and its xcode_settings, when converting for mac', () => {
    const root = makePackage(SOURCES);
    const r = convertBindingGyp(root, 'binding.gyp', { os: 'mac', arch: 'arm64' });
    const addonCall = r.text.slice(r.text.indexOf('const binding = addon('));
    expect(addonCall).toContain("'ON_MAC'");
    expect(addonCall).not.toContain("'ON_LINUX'");
    expect(addonCall).toContain("std: 'c++20'");
    expect(r.text).toContain('MACOSX_DEPLOYMENT_TARGET 11.0');
  });

  it('keeps the rest of the file when a condition names an undefined variable', () => {
    const root = makePackage({
      'binding.gyp': `{'targets': [{'target_name': 'x', 'sources': ['x.c'],
        'conditions': [['no_such_var==1', {'defines': ['A']}]]}]}`,
      'x.c': '',
    });
    const r = convertBindingGyp(root, 'binding.gyp', { os: 'linux', arch: 'x64' });
    expect(r.text).toContain("name 'no_such_var' is not defined (define it in variables)");
    expect(r.text).toContain("//   'no_such_var==1',");
    expect(r.text).toContain("sources: ['x.c']");
  });
});

/** gyp features the real packages use little of, for the comparison with gyp's own loader. */
const SEMANTICS = {
  'binding.gyp': `{
    'variables': {
      'variables': { 'level%': 2 },
      'level%': '<(level)',
      'mode%': 'fast',
      'extra_sources': ['src/b.c', 'src/c.c'],
      'conditions': [['OS=="linux"', { 'os_define': 'IS_LINUX' }, { 'os_define': 'NOT_LINUX' }]],
    },
    'includes': ['gypi/common.gypi'],
    'target_defaults': {
      'defines': ['DEFAULT_ONE'],
      'cflags': ['-Wshadow'],
      'target_conditions': [['_type=="static_library"', {'defines': ['IN_LIBRARY']}, {'defines': ['IN_MODULE']}]],
    },
    'targets': [
      {
        'target_name': 'top',
        'sources': ['src/a.c', '<@(extra_sources)', 'src/a.h', 'src/skip_me.c', 'src/win_only.c'],
        'sources!': ['src/skip_me.c'],
        'sources/': [['exclude', '_only\\.c$']],
        'defines': ['LEVEL=<(level)', 'NAME=<(_target_name)', '<(os_define)', 'MODE_<(mode)'],
        'cflags+': ['-Wfirst'],
        'dependencies': ['mid'],
        'conditions': [
          ['level>5', {'defines': ['HIGH']}, 'level>1', {'defines': ['MIDDLE']}, {'defines': ['LOW']}],
          ['OS in "linux freebsd" and not target_arch=="ia32"', {'cflags_cc': ['-fno-rtti']}],
        ],
        'configurations': { 'Release': { 'defines': ['RELEASE_ONLY'] }, 'Debug': { 'defines': ['DEBUG_ONLY'] } },
      },
      {
        'target_name': 'mid',
        'type': 'static_library',
        'sources': ['mid/m.c'],
        'dependencies': ['lib/low.gyp:low'],
        'direct_dependent_settings': { 'include_dirs': ['mid/include'] },
      },
    ],
  }`,
  'gypi/common.gypi': `{ 'target_defaults': { 'include_dirs': ['../shared/include', 'local'] } }`,
  'lib/low.gyp': `{
    'targets': [{
      'target_name': 'low',
      'type': 'static_library',
      'sources': ['low.c'],
      'all_dependent_settings': { 'defines': ['USES_LOW'], 'include_dirs': ['low_include'] },
      'link_settings': { 'libraries': ['-lm'] },
    }],
  }`,
};

describe('command expansions', () => {
  it('a failing command is a TODO saying why; a working one is run without a shell', () => {
    const root = makePackage({
      'binding.gyp': `{'targets': [{'target_name': 'x', 'sources': ['x.c'],
        'include_dirs': ['<!(node -e "throw new Error(\\'boom\\')")'],
        'defines': ["<!@(node -p '\\"A=1 B=$HOME\\"')"]}]}`,
      'x.c': '',
    });
    const r = convertBindingGyp(root, 'binding.gyp', { os: 'linux', arch: 'x64' });
    expect(r.needsHand.join('\n')).toContain('failed at init time (exit status 1: Error: boom)');
    // Single quotes keep `$HOME` from a shell too: the words are the same without one.
    expect(r.text).toContain("defines: ['A=1', 'B=$HOME']");
  });
});

describe('the targets Kiln reads equal what gyp reads', () => {
  for (const platform of [
    { os: 'linux', arch: 'x64' },
    { os: 'mac', arch: 'arm64' },
    { os: 'win', arch: 'ia32' },
  ] as const) {
    itWith('python3')(`for ${platform.os} ${platform.arch}`, async () => {
      await expectSameAsGyp(makePackage(SEMANTICS), platform);
    });
  }
});

describe('kiln init with a binding.gyp', () => {
  itWith(
    'gcc',
    'g++',
    'pkg-config',
  )('writes a config that builds the same addon, and prints what needs a hand', async () => {
    const root = makePackage(SOURCES);
    const init = await kiln(root, ['init']);
    expect(init.exitCode, init.all).toBe(0);
    expect(init.stdout).toContain('Wrote build.config.ts from binding.gyp:');
    expect(init.stdout).toContain(
      'binding (binding.gyp) → addon() with 2 sources, linking zlib, core',
    );
    expect(init.stdout).toMatch(
      /Needs a hand \(TODO\(kiln\) in build\.config\.ts\):\n {2}- binding: actions/,
    );
    expect(readFileSync(path.join(root, 'build.config.ts'), 'utf8')).toContain('TODO(kiln)');
    const built = await kiln(root, ['build']);
    expect(built.exitCode, built.all).toBe(0);
    const r = await execa(
      process.execPath,
      ['-e', "console.log(require('./build/Release/binding.node').add(40, 2))"],
      { cwd: root },
    );
    expect(r.stdout).toBe('42');
  });

  it('--from names the gyp file; a missing one or a syntax error is a usage/config error', async () => {
    const root = makePackage({
      'gyp/addon.gyp': "{\n  'targets': [\n    {'target_name': 'x',\n  ]\n}\n",
    });
    const missing = await kiln(root, ['init', '--from', 'nope.gyp']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nope.gyp does not exist');
    const bad = await kiln(root, ['init', '--from', 'gyp/addon.gyp']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(
      `${path.join(root, 'gyp/addon.gyp')}:4:3: a dict key must be a string, found "]"`,
    );
  });

  it('without a binding.gyp still writes the starter', async () => {
    const root = makePackage({});
    const r = await kiln(root, ['init']);
    expect(r.exitCode, r.all).toBe(0);
    expect(readFileSync(path.join(root, 'build.config.ts'), 'utf8')).not.toContain('binding.gyp');
    expect(REPO_ROOT).toBeTruthy();
  });
});
