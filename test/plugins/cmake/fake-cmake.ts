import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A recording stand-in for cmake, for argv assertions where the real tool cannot run (Apple
 * targets off a Mac). It appends its argv as one JSON line to `calls.jsonl` beside itself and
 * answers like CMake 3.25 would: capabilities, a configure that writes a minimal File API reply
 * (one static library with an install rule), a build that creates the archive, an install.
 */
const SCRIPT = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
fs.appendFileSync(path.join(__dirname, 'calls.jsonl'), JSON.stringify(args) + '\n');
const write = (file, data) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
};
if (args[0] === '-E' && args[1] === 'capabilities') {
  process.stdout.write(JSON.stringify({
    version: { major: 3, minor: 25, patch: 1, string: '3.25.1' },
    generators: (process.env.FAKE_CMAKE_GENERATORS ?? 'Ninja,Unix Makefiles').split(',').map((name) => ({ name })),
  }));
} else if (args[0] === '-S') {
  const source = args[1];
  const build = args[3];
  const def = (k) => args.find((a) => a.startsWith('-D' + k + '='))?.slice(k.length + 3);
  write(path.join(build, 'CMakeCache.txt'), '# fake\n');
  const reply = path.join(build, '.cmake', 'api', 'v1', 'reply');
  const target = { name: 'applelib', id: 'applelib::@1', type: 'STATIC_LIBRARY', nameOnDisk: 'libapplelib.a',
    artifacts: [{ path: 'libapplelib.a' }], sources: [{ path: 'applelib.c' }] };
  write(path.join(reply, 'target-applelib.json'), target);
  write(path.join(reply, 'directory-.json'), { installers: [
    { type: 'target', destination: 'lib', paths: ['libapplelib.a'], targetId: 'applelib::@1', targetIndex: 0 } ] });
  write(path.join(reply, 'codemodel-v2.json'), {
    paths: { source, build },
    configurations: [{ name: def('CMAKE_BUILD_TYPE'),
      directories: [{ source: '.', build: '.', hasInstallRule: true, jsonFile: 'directory-.json' }],
      targets: [{ name: 'applelib', id: 'applelib::@1', directoryIndex: 0, jsonFile: 'target-applelib.json' }] }],
  });
  write(path.join(reply, 'cmakeFiles-v1.json'), { paths: { source, build }, inputs: [{ path: 'CMakeLists.txt' }] });
  write(path.join(reply, 'index-1.json'), {
    cmake: { version: { string: '3.25.1' }, generator: { name: 'Ninja' } },
    reply: { 'client-kiln': { 'query.json': { responses: [
      { kind: 'codemodel', jsonFile: 'codemodel-v2.json' },
      { kind: 'cmakeFiles', jsonFile: 'cmakeFiles-v1.json' } ] } } },
  });
  write(path.join(build, 'kiln-fake-prefix'), def('CMAKE_INSTALL_PREFIX'));
} else if (args[0] === '--build') {
  write(path.join(args[1], 'libapplelib.a'), '!<arch>\n');
} else if (args[0] === '--install') {
  const prefix = fs.readFileSync(path.join(args[1], 'kiln-fake-prefix'), 'utf8');
  write(path.join(prefix, 'lib', 'libapplelib.a'), '!<arch>\n');
  write(path.join(args[1], 'install_manifest.txt'), path.join(prefix, 'lib', 'libapplelib.a'));
}
`;

export interface FakeCmake {
  /** The folder to put first on PATH. */
  binDir: string;
  /** Every recorded argv, in call order. */
  calls(): string[][];
}

export function installFakeCmake(): FakeCmake {
  const binDir = mkdtempSync(path.join(os.tmpdir(), 'kiln-fake-cmake-'));
  const file = path.join(binDir, 'cmake');
  writeFileSync(file, `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(file, 0o755);
  return {
    binDir,
    calls: () => {
      const text = (() => {
        try {
          return readFileSync(path.join(binDir, 'calls.jsonl'), 'utf8');
        } catch {
          return '';
        }
      })();
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]);
    },
  };
}
