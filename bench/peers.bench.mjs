// Kiln against the tools packages use today, on generated stand-ins, interleaved rounds:
//   zstd-shaped library (31 units, one GNU assembly): Kiln vs ninja running Kiln's own compile
//     commands (compile_commands.json → build.ninja with the same argv + the same `ar rcsD`)
//       cold (goal ≤ 1.00×) and one header touched, Kiln in a fresh process (goal ≤ 1.2×;
//       three edits a round);
//   addon over an ~8 MB amalgamation C file plus 4 C++ files (node-addon-api), cold builds:
//     Kiln vs cmake-js rebuild (a CMakeLists.txt with Kiln's flags; goal ≤ 0.90×) and
//     vs node-gyp rebuild -j max (a binding.gyp with the same flags; goal ≤ 0.60×), and vs
//     the floor: the 8 MB unit's compile command run alone, which every tool's build contains.
// Every tool gets the same parallelism (the core count) and loads the same headers; each
// built addon must load. BENCH_ROUNDS (≥ 5), BENCH_PEERS=zstd|addon to run one part.
// On a loaded Linux machine with autogroup scheduling, Kiln's compilers (each in a session of its
// own) get a larger CPU share than a peer's: read cold ratios there with docs/scaling.md's caveat.
import { appendFileSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { writeAmalgamationAddon, writeZstdShape } from './peers/shapes.mjs';
import { KILN, median, printTable, REPO, roundsFrom, tempPackage, timeRun } from './support.mjs';

const rounds = roundsFrom('BENCH_ROUNDS', 5);
const jobs = os.availableParallelism();
const parts = (process.env.BENCH_PEERS ?? 'zstd,addon').split(',');
const require = createRequire(path.join(REPO, 'package.json'));
const env = { ...process.env, CFLAGS: '', CXXFLAGS: '', LDFLAGS: '', CCACHE_DISABLE: '1' };
const shq = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
const kiln = (cwd) => timeRun(process.execPath, [KILN, 'build'], { cwd, env });
const rows = [];
const HEADER_EDITS = 3;

/** The compile_commands.json Kiln wrote for `root` (it goes to build/). */
const compileCommands = (root) =>
  JSON.parse(readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'));

/** Kiln's argv for one entry, its output and depfile moved under `outDir` (ninja variables). */
function ninjaArgv(entry) {
  const a = [...entry.arguments];
  a[a.indexOf('-o') + 1] = '$out';
  a[a.indexOf('-MF') + 1] = '$out.d';
  return a.map((s) => (s.startsWith('$') ? s : shq(s).replaceAll('$', '$$'))).join(' ');
}

if (parts.includes('zstd')) {
  const root = tempPackage({
    'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'zstd', sources: ['lib/**/*.c', 'lib/**/*.S'], includes: ['lib', 'lib/common'] })] });
`,
  });
  const shape = writeZstdShape(root);
  // One unmeasured Kiln build: its compile_commands.json is what ninja runs.
  kiln(root);
  const db = compileCommands(root);
  if (db.length !== shape.units) throw new Error(`Kiln compiled ${db.length} of ${shape.units}`);
  const obj = (e) => `build-ninja/obj/${path.relative(root, e.file)}.o`;
  const q = (s) => s.replace(/\$/g, '$$$$').replace(/ /g, '$ ').replace(/:/g, '$:');
  writeFileSync(
    path.join(root, 'build.ninja'),
    [
      'builddir = build-ninja',
      'rule ar',
      '  command = rm -f $out && ar rcsD $out $in',
      ...db.flatMap((e, i) => [
        `rule cc${i}`,
        `  command = ${ninjaArgv(e)}`,
        '  depfile = $out.d',
        '  deps = gcc',
        `build ${q(obj(e))}: cc${i} ${q(path.relative(root, e.file))}`,
      ]),
      `build build-ninja/libzstd.a: ar ${db.map((e) => q(obj(e))).join(' ')}`,
      'default build-ninja/libzstd.a',
      '',
    ].join('\n'),
  );
  const ninja = () => timeRun('ninja', ['-j', String(jobs)], { cwd: root, env });
  const t = { kilnCold: [], ninjaCold: [], kilnHeader: [], ninjaHeader: [] };
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first, so a warmer cache or a quieter moment favours neither.
    const order = r % 2 ? ['kiln', 'ninja'] : ['ninja', 'kiln'];
    for (const tool of order) {
      if (tool === 'kiln') {
        rmSync(path.join(root, 'build', 'kiln'), { recursive: true, force: true });
        t.kilnCold.push(kiln(root));
      } else {
        rmSync(path.join(root, 'build-ninja'), { recursive: true, force: true });
        t.ninjaCold.push(ninja());
      }
    }
    // A header two units include changes content (Kiln hashes content; ninja sees the mtime).
    // Three edits a round: a sub-second build is at the mercy of a noisy moment.
    for (let edit = 0; edit < HEADER_EDITS; edit++) {
      appendFileSync(shape.touched, `/* edit ${r}.${edit} */\n`);
      for (const tool of edit % 2 ? [...order].reverse() : order) {
        if (tool === 'kiln') t.kilnHeader.push(kiln(root));
        else t.ninjaHeader.push(ninja());
      }
    }
  }
  rows.push(
    {
      name: `zstd-shaped lib, cold (${shape.units} units)`,
      peer: `ninja -j${jobs}`,
      peerMs: t.ninjaCold,
      kilnMs: t.kilnCold,
      goal: '≤ 1.00×',
    },
    {
      name: `zstd-shaped lib, 1 header (2 units; ${HEADER_EDITS} edits a round)`,
      peer: `ninja -j${jobs}`,
      peerMs: t.ninjaHeader,
      kilnMs: t.kilnHeader,
      goal: '≤ 1.2×',
    },
  );
  rmSync(root, { recursive: true, force: true });
}

if (parts.includes('addon')) {
  const NODEDIR = path.resolve(process.execPath, '..', '..');
  const NODE_GYP = require.resolve('node-gyp/bin/node-gyp.js');
  const CMAKE_JS = require.resolve('cmake-js/bin/cmake-js');
  const napiDir = path.dirname(require.resolve('node-addon-api/package.json'));
  const headersDir = path.dirname(require.resolve('node-api-headers/package.json'));
  const pkg = {
    name: 'peer',
    version: '1.0.0',
    dependencies: { 'node-addon-api': '*', 'node-api-headers': '*' },
    binary: { napi_versions: [8] },
  };
  const amalgamationBytes = Number(process.env.BENCH_AMALGAMATION_BYTES ?? 8 << 20);
  const size =
    amalgamationBytes >= 1 << 20
      ? `${Math.round(amalgamationBytes / (1 << 20))} MB`
      : `${Math.round(amalgamationBytes / 1024)} KB`;
  const withModules = (root) => {
    symlinkSync(napiDir, path.join(root, 'node_modules', 'node-addon-api'), 'dir');
    symlinkSync(headersDir, path.join(root, 'node_modules', 'node-api-headers'), 'dir');
    writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg));
    return writeAmalgamationAddon(root, amalgamationBytes);
  };
  const kilnRoot = tempPackage({
    'build.config.ts': `import { addon, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [addon({ name: 'peer', sources: ['src/*.c', 'src/*.cc'], headers: 'node-api-headers', napiVersion: 8 })] });
`,
  });
  const { sources } = withModules(kilnRoot);
  const cleanKiln = () => rmSync(path.join(kilnRoot, 'build'), { recursive: true, force: true });
  kiln(kilnRoot);
  // Kiln's own flags, per language, for the peers: everything between the compiler and -MD,
  // with paths inside the package made absolute for the peer's own copy.
  const db = compileCommands(kilnRoot);
  const flagsOf = (ext, dest) => {
    const e = db.find((x) => x.file.endsWith(ext));
    const a = e.arguments;
    return a.slice(1, a.indexOf('-MD')).map((f) => {
      if (!f.startsWith('-I') || path.isAbsolute(f.slice(2))) return f;
      return `-I${path.join(dest, f.slice(2))}`;
    });
  };
  const gypRoot = tempPackage({});
  withModules(gypRoot);
  writeFileSync(
    path.join(gypRoot, 'binding.gyp'),
    JSON.stringify({
      targets: [
        {
          target_name: 'peer',
          sources,
          // node-gyp adds its own Release flags (-O3, -fPIC, -pthread…) before these.
          cflags: flagsOf('.c', gypRoot),
          cflags_cc: flagsOf('.cc', gypRoot).filter((f) => !flagsOf('.c', gypRoot).includes(f)),
          'cflags!': ['-fno-exceptions'],
          'cflags_cc!': ['-fno-exceptions', '-fno-rtti'],
        },
      ],
    }),
  );
  const cmakeRoot = tempPackage({});
  withModules(cmakeRoot);
  // A generator expression holds a ;-list: one quoted argument per language.
  const perLanguage = (lang, ext) =>
    `"$<$<COMPILE_LANGUAGE:${lang}>:${flagsOf(ext, cmakeRoot).join(';')}>"`;
  writeFileSync(
    path.join(cmakeRoot, 'CMakeLists.txt'),
    `cmake_minimum_required(VERSION 3.15)
project(peer C CXX)
# Kiln's flags only: no extra Release defaults.
set(CMAKE_C_FLAGS_RELEASE "")
set(CMAKE_CXX_FLAGS_RELEASE "")
add_library(peer SHARED ${sources.join(' ')} \${CMAKE_JS_SRC})
set_target_properties(peer PROPERTIES PREFIX "" SUFFIX ".node")
target_include_directories(peer PRIVATE \${CMAKE_JS_INC})
target_compile_options(peer PRIVATE
  ${perLanguage('C', '.c')}
  ${perLanguage('CXX', '.cc')})
target_link_libraries(peer \${CMAKE_JS_LIB})
`,
  );
  const cmakeJs = () =>
    timeRun(process.execPath, [CMAKE_JS, 'rebuild', '--parallel', String(jobs)], {
      cwd: cmakeRoot,
      env,
    });
  const nodeGyp = () =>
    timeRun(process.execPath, [NODE_GYP, 'rebuild', '-j', 'max', `--nodedir=${NODEDIR}`], {
      cwd: gypRoot,
      env,
    });
  // The floor no tool can beat with these flags: the 8 MB unit's own compile command, alone
  // (Kiln's argv, its object and depfile sent elsewhere). Every tool's cold build is this
  // compile plus what runs before and after it; Kiln's row against it is that overhead.
  const big = db.find((e) => e.file.endsWith('.c'));
  const floorArgv = [...big.arguments];
  const floorOut = path.join(kilnRoot, 'floor.o');
  floorArgv[floorArgv.indexOf('-o') + 1] = floorOut;
  floorArgv[floorArgv.indexOf('-MF') + 1] = `${floorOut}.d`;
  const t = { kiln: [], cmake: [], gyp: [], floor: [] };
  const tools = {
    floor: () =>
      t.floor.push(timeRun(floorArgv[0], floorArgv.slice(1), { cwd: big.directory, env })),
    kiln: () => {
      cleanKiln();
      t.kiln.push(kiln(kilnRoot));
    },
    cmake: () => t.cmake.push(cmakeJs()),
    gyp: () => t.gyp.push(nodeGyp()),
  };
  const names = Object.keys(tools);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) tools[names[(i + r) % names.length]]();
  }
  // Each addon must load and give the same answer, or the comparison means nothing.
  const built = [kilnRoot, cmakeRoot, gypRoot].map((r) =>
    path.join(r, 'build', 'Release', 'peer.node'),
  );
  timeRun(process.execPath, [
    '-e',
    `const [a, b, c] = ${JSON.stringify(built)}.map((f) => require(f).run(7));
if (a !== b || a !== c) throw new Error('the addons disagree: ' + [a, b, c]);`,
  ]);
  rows.push(
    {
      name: `addon, ${size} C + 4 C++, cold`,
      peer: `cmake-js rebuild -p ${jobs}`,
      peerMs: t.cmake,
      kilnMs: t.kiln,
      goal: '≤ 0.90×',
    },
    {
      name: `addon, ${size} C + 4 C++, cold`,
      peer: 'node-gyp rebuild -j max',
      peerMs: t.gyp,
      kilnMs: t.kiln,
      goal: '≤ 0.60×',
    },
    {
      name: `addon, ${size} C + 4 C++, cold`,
      peer: `the ${size} unit alone (floor)`,
      peerMs: t.floor,
      kilnMs: t.kiln,
    },
  );
  for (const r of [kilnRoot, gypRoot, cmakeRoot]) rmSync(r, { recursive: true, force: true });
}

printTable(`peers: ${jobs} cores, ${os.loadavg()[0].toFixed(1)} load at the end`, rows, rounds);
console.log(
  JSON.stringify({
    bench: 'peers',
    rounds,
    jobs,
    rows: rows.map((r) => ({
      name: r.name,
      peer: r.peer,
      peerMedianMs: +median(r.peerMs).toFixed(0),
      kilnMedianMs: +median(r.kilnMs).toFixed(0),
      ratio: +(median(r.kilnMs) / median(r.peerMs)).toFixed(2),
      goal: r.goal,
    })),
  }),
);
