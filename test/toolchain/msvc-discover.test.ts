import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTriple } from '../../src/target/triple.js';
import {
  findMsvc,
  type MsvcHost,
  msvcCandidates,
  parseRegQuery,
  VS7_KEY,
  VSWHERE_ARGS,
} from '../../src/toolchain/msvc/discover.js';

/**
 * Visual Studio discovery as cc-rs does it, on a fake Windows: an in-memory file tree, a real
 * (fake) vswhere script that records its arguments, an injected registry and environment.
 */
const X64 = parseTriple('x86_64-pc-windows-msvc');
const ARM64 = parseTriple('aarch64-pc-windows-msvc');
const VSWHERE = 'C:\\Program Files (x86)\\Microsoft Visual Studio\\Installer\\vswhere.exe';
const VS2022 = 'C:\\Program Files\\Microsoft Visual Studio\\2022\\Community';
const VS2019 = 'C:\\Program Files (x86)\\Microsoft Visual Studio\\2019\\BuildTools';

/** A Visual Studio installation with these toolset versions, each with x64 and arm64 compilers. */
function vsLayout(install: string, versions: string[], hosts = ['Hostx64']): string[] {
  return versions.flatMap((v) =>
    hosts.flatMap((h) =>
      ['x64', 'arm64', 'x86'].map(
        (t) => `${install}\\VC\\Tools\\MSVC\\${v}\\bin\\${h}\\${t}\\cl.exe`,
      ),
    ),
  );
}

interface FakeWindows {
  files?: string[];
  env?: Record<string, string>;
  path?: Record<string, string>;
  registry?: Record<string, Record<string, string>>;
  /** What the fake vswhere prints; undefined: no vswhere installed. */
  vswhere?: string;
  text?: Record<string, string>;
}

function fakeHost(w: FakeWindows): { host: MsvcHost; vswhereCalls: () => string[][] } {
  const files = new Set(w.files ?? []);
  if (w.vswhere !== undefined) files.add(VSWHERE);
  // vswhere is a real program here: a script that records its argv and prints the answer.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-vswhere-'));
  const script = path.join(dir, 'vswhere');
  const log = path.join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  writeFileSync(
    script,
    `#!/usr/bin/env node
require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');
process.stdout.write(${JSON.stringify(w.vswhere ?? '')});
`,
  );
  chmodSync(script, 0o755);
  const host: MsvcHost = {
    env: (name) => w.env?.[name],
    exists: (file) => files.has(file),
    readdir: (folder) => {
      const prefix = `${folder}\\`;
      const names = new Set<string>();
      for (const f of files)
        if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('\\')[0]!);
      return [...names];
    },
    readFile: (file) => w.text?.[file],
    runVswhere: (program, args) =>
      program === VSWHERE ? execFileSync(script, args, { encoding: 'utf8' }) : undefined,
    readRegistry: (key) => w.registry?.[key],
    which: (name) => w.path?.[name],
  };
  const vswhereCalls = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as string[]);
  return { host, vswhereCalls };
}

describe('finding MSVC on a Windows host', () => {
  it('uses a developer prompt as it is: cl.exe from PATH, INCLUDE/LIB untouched', () => {
    const bin = `${VS2022}\\VC\\Tools\\MSVC\\14.40.33807\\bin\\Hostx64\\x64`;
    const { host, vswhereCalls } = fakeHost({
      env: { VCINSTALLDIR: `${VS2022}\\VC\\`, VSINSTALLDIR: `${VS2022}\\`, INCLUDE: 'C:\\inc' },
      path: { 'cl.exe': `${bin}\\cl.exe` },
      vswhere: `${VS2019}\r\n`,
    });
    expect(findMsvc(host, X64, X64)).toEqual({
      source: 'developer-prompt',
      installationPath: `${VS2022}\\`,
      binDir: bin,
      cl: `${bin}\\cl.exe`,
      link: `${bin}\\link.exe`,
      lib: `${bin}\\lib.exe`,
      env: {},
    });
    expect(vswhereCalls()).toEqual([]);
  });

  it("asks vswhere with cc-rs's arguments, then takes the newest toolset for the host and target", () => {
    const { host, vswhereCalls } = fakeHost({
      env: { 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LIB: 'C:\\sdk\\lib' },
      files: vsLayout(VS2022, ['14.38.33130', '14.40.33807', '14.9.1']),
      vswhere: `${VS2022}\r\n`,
    });
    const found = findMsvc(host, ARM64, X64)!;
    const tools = `${VS2022}\\VC\\Tools\\MSVC\\14.40.33807`;
    expect(vswhereCalls()).toEqual([VSWHERE_ARGS]);
    expect(VSWHERE_ARGS).toEqual([
      '-latest',
      '-products',
      '*',
      '-requires',
      'Microsoft.VisualStudio.Component.VC.Tools.x86.x64',
      '-property',
      'installationPath',
    ]);
    expect(found).toMatchObject({
      source: 'vswhere',
      installationPath: VS2022,
      toolsDir: tools,
      cl: `${tools}\\bin\\Hostx64\\arm64\\cl.exe`,
      link: `${tools}\\bin\\Hostx64\\arm64\\link.exe`,
      lib: `${tools}\\bin\\Hostx64\\arm64\\lib.exe`,
      env: { INCLUDE: `${tools}\\include`, LIB: `${tools}\\lib\\arm64;C:\\sdk\\lib` },
    });
  });

  it('honours the toolset pinned in Microsoft.VCToolsVersion.default.txt', () => {
    const { host } = fakeHost({
      files: vsLayout(VS2022, ['14.38.33130', '14.40.33807']),
      vswhere: `${VS2022}\n`,
      text: {
        [`${VS2022}\\VC\\Auxiliary\\Build\\Microsoft.VCToolsVersion.default.txt`]:
          '14.38.33130\r\n',
      },
    });
    expect(findMsvc(host, X64, X64)?.cl).toBe(
      `${VS2022}\\VC\\Tools\\MSVC\\14.38.33130\\bin\\Hostx64\\x64\\cl.exe`,
    );
    // A pinned toolset that is not installed: the newest one.
    const { host: stale } = fakeHost({
      files: vsLayout(VS2022, ['14.38.33130', '14.40.33807']),
      vswhere: `${VS2022}\n`,
      text: {
        [`${VS2022}\\VC\\Auxiliary\\Build\\Microsoft.VCToolsVersion.default.txt`]: '14.99.1\n',
      },
    });
    expect(findMsvc(stale, X64, X64)?.toolsDir).toBe(`${VS2022}\\VC\\Tools\\MSVC\\14.40.33807`);
  });

  it('falls back to the registry (newest Visual Studio first) without vswhere', () => {
    const { host } = fakeHost({
      files: [...vsLayout(VS2019, ['14.29.30133'])],
      registry: { [VS7_KEY]: { '15.0': 'C:\\VS2017\\', '16.0': VS2019 } },
    });
    expect(findMsvc(host, X64, X64)).toMatchObject({
      source: 'registry',
      installationPath: VS2019,
      cl: `${VS2019}\\VC\\Tools\\MSVC\\14.29.30133\\bin\\Hostx64\\x64\\cl.exe`,
    });
  });

  it("uses the host architecture's compilers on an arm64 machine, and finds nothing without them", () => {
    const { host } = fakeHost({
      files: vsLayout(VS2022, ['14.40.33807'], ['Hostarm64']),
      vswhere: VS2022,
    });
    expect(findMsvc(host, X64, ARM64)?.binDir).toBe(
      `${VS2022}\\VC\\Tools\\MSVC\\14.40.33807\\bin\\Hostarm64\\x64`,
    );
    expect(findMsvc(host, X64, X64)).toBeUndefined();
  });

  it('finds nothing when Visual Studio is not installed', () => {
    expect(findMsvc(fakeHost({}).host, X64, X64)).toBeUndefined();
  });

  it('reads reg query output', () => {
    expect(
      parseRegQuery(
        `\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\VisualStudio\\SxS\\VS7\r\n    15.0    REG_SZ    C:\\Program Files (x86)\\Microsoft Visual Studio\\2017\\Community\\\r\n`,
      ),
    ).toEqual({ '15.0': 'C:\\Program Files (x86)\\Microsoft Visual Studio\\2017\\Community\\' });
  });
});

describe('default MSVC tools', () => {
  it('off Windows: clang-cl or clang in cl mode, llvm-lib, lld-link; never link or lib', () => {
    const words = (k: Parameters<typeof msvcCandidates>[0]) =>
      msvcCandidates(k, false, undefined).map((c) => c.words.join(' '));
    expect(words('cc')).toEqual(['clang-cl', 'clang --driver-mode=cl']);
    expect(words('ar')).toEqual(['llvm-lib']);
    expect(words('link')).toEqual(['lld-link']);
  });

  it('on Windows: the Visual Studio toolset with its environment first, then PATH, then LLVM', () => {
    const install = {
      source: 'vswhere' as const,
      binDir: 'C:\\bin',
      cl: 'C:\\bin\\cl.exe',
      link: 'C:\\bin\\link.exe',
      lib: 'C:\\bin\\lib.exe',
      env: { INCLUDE: 'C:\\inc', LIB: 'C:\\lib' },
    };
    expect(msvcCandidates('link', true, install)).toEqual([
      { words: ['C:\\bin\\link.exe'], env: install.env },
      { words: ['link.exe'] },
      { words: ['lld-link'] },
    ]);
    expect(msvcCandidates('cc', true, undefined).map((c) => c.words[0])).toEqual([
      'cl.exe',
      'clang-cl',
      'clang',
    ]);
  });
});
