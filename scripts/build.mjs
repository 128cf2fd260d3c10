// Bundles src/ into dist/ with esbuild: one file per public entry point, shared code in chunks,
// and every `import()` a chunk of its own, so a command loads only the code its path runs.
// Types (dist/**/*.d.ts) come from tsc with `--emitDeclarationOnly`.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = (await import(path.join(root, 'package.json'), { with: { type: 'json' } })).default;
const outdir = path.join(root, 'dist');
const require = createRequire(import.meta.url);

// A clean folder: per-file JavaScript left by a plain `tsc` build would ship in the package.
rmSync(outdir, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--emitDeclarationOnly'],
  { cwd: root, stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// The `kiln` command starts in one CommonJS file (src/cli/entry.ts, required by bin/kiln.js):
// `--version`, `--help` and `kiln build` when fresh or replaying a recorded plan
// (src/cli/quick-build.ts), the path a developer takes after every edit, load no chain of chunks
// and no ES module at all. Every other command imports the main bundle by path. The quick path
// never loads a config, so no code of the main bundle (where configs and plugins come from)
// meets its own copy.
// `kilnjs/loader` is one file too, which `kilnjs` re-exports: one loadAddon, and a package's
// run time loads no chain of chunks (KilnError is recognised across copies anyway: see its
// Symbol.hasInstance). The quick path loads the replay from `quick-replay.cjs`, and `print`,
// `doctor` and `pkg-config` run from `quick-<command>.cjs` (below); the imports of their modules
// serve only a run from the sources, and stay out of the entry.
const OWN_BUNDLES = {
  'src/cli/entry.ts': ['./main.js', './quick-commands.js'],
  'src/cli/quick-build.ts': ['./quick-replay.js'],
  'src/index.ts': ['./loader.js'],
};
const ownBundles = {
  name: 'own-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\/(main|quick-commands|quick-replay|loader)\.js$/ }, (args) =>
      OWN_BUNDLES[path.relative(root, args.importer)]?.includes(args.path)
        ? { path: args.path, external: true }
        : undefined,
    );
  },
};
// fdir (tinyglobby's directory crawler) requires picomatch at load time, for a `.glob()` of its
// own that tinyglobby never calls: ~3 ms of every build that globs sources (six CommonJS files,
// when a picomatch is installed at all). The bundled copy leaves it out.
const FDIR_OPTIONAL_PICOMATCH =
  /try \{\s*__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);\s*\} catch \{\}/;
const fdirWithoutPicomatch = {
  name: 'fdir-without-picomatch',
  setup(b) {
    b.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!FDIR_OPTIONAL_PICOMATCH.test(source)) {
        throw new Error(`${args.path}: fdir's optional picomatch require is not where it was`);
      }
      return { contents: source.replace(FDIR_OPTIONAL_PICOMATCH, ''), loader: 'js' };
    });
  },
};
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies stay packages of their own (jiti: it loads its TypeScript transform from its own
  // folder); everything else a command needs is bundled into the chunk that command loads.
  external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})],
  // zod and yaml are bundled (below), not dependencies: src/util/vendor.ts requires them.
  define: { KILN_VENDORED: 'true' },
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};
// What the quick path never reaches (it returns before a config would be loaded, and takes no
// workspace build) stays out of its file: a module's size is paid in compile time on every run.
const NOT_QUICK = /^\.\.\/(config\/load|config\/imports|workspace\/build|build-engine)\.js$/;
const quickOnly = {
  name: 'quick-build-only',
  setup(b) {
    b.onResolve({ filter: NOT_QUICK }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'not-quick' } : undefined,
    );
    // Reached only by a bug: say so, rather than fail to resolve a file.
    b.onLoad({ filter: /.*/, namespace: 'not-quick' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`kilnjs: ${args.path} is not part of the quick build path`)});`,
      loader: 'js',
    }));
  },
};
// The bundles of their own: the entry with the fresh check (no child_process, no compile
// engine), the replay it loads when needed, the plain commands, and kilnjs/loader.
// The entry and the replay are CommonJS: Node starts a CommonJS program without its ES module
// loader, and loads the replay through V8's code cache (src/cli/code-cache.ts). Their
// `import.meta.url` is the file's URL, as it would be for a module.
// node:fs/promises (with readline, fs watchers and directory handles: ~0.8 ms) is loaded on the
// first call of one of its functions, not when the bundle starts: a Fresh or replayed build
// reaches its first compile without one. A name it does not export as a function fails the build.
const lazyFsPromises = {
  name: 'lazy-fs-promises',
  setup(b) {
    b.onResolve({ filter: /^node:fs\/promises$/ }, () => ({ path: 'fs/promises', namespace: 'lazy' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, async () => {
      const names = Object.entries(await import('node:fs/promises'))
        .filter(([name, value]) => typeof value === 'function' && name !== 'default')
        .map(([name]) => name);
      const load = "const load = () => process.getBuiltinModule('node:fs/promises');";
      const wrap = (n) => `export function ${n}(...args) { return load().${n}(...args); }`;
      return { contents: [load, ...names.map(wrap)].join('\n'), loader: 'js' };
    });
  },
};
const commonJs = {
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { ...common.define, 'import.meta.url': '__kilnModuleUrl' },
  banner: { js: 'var __kilnModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
};
const OWN = [
  ['cli/entry', 'src/cli/entry.ts', [ownBundles], commonJs],
  ['cli/quick-replay', 'src/cli/quick-replay.ts', [quickOnly], commonJs],
  ['loader', 'src/loader.ts', [], {}],
];
// `print`, `doctor` and `pkg-config`: one bundle each, of its own function in quick-commands.ts
// and what that reaches, so none pays for compiling another's code.
for (const [name, fn] of [
  ['print', 'quickPrint'],
  ['doctor', 'quickDoctor'],
  ['pkg-config', 'quickPkgConfig'],
]) {
  const contents = `export { ${fn} as run } from './src/cli/quick-commands.ts';\n`;
  OWN.push([`cli/quick-${name}`, { contents }, [], commonJs]);
}
for (const [name, entry, plugins, format] of OWN) {
  const from =
    typeof entry === 'string'
      ? { entryPoints: { [name]: entry }, outdir }
      : {
          stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' },
          outfile: path.join(outdir, `${name}${format.outExtension?.['.js'] ?? '.js'}`),
        };
  const lazy = format === commonJs ? [lazyFsPromises] : [];
  const own = [...plugins, ...lazy, fdirWithoutPicomatch];
  await build({ ...common, ...format, plugins: own, ...from, splitting: false });
}
// A script compiled by node:vm has no way to load a module: the replay must need none.
if (/\bimport\(/.test(readFileSync(path.join(outdir, 'cli', 'quick-replay.cjs'), 'utf8'))) {
  console.error('build: dist/cli/quick-replay.cjs contains import(): node:vm cannot run it');
  process.exit(1);
}

await build({
  ...common,
  plugins: [ownBundles, fdirWithoutPicomatch],
  entryPoints: {
    index: 'src/index.ts',
    'recipes/index': 'src/recipes/index.ts',
    testing: 'src/testing.ts',
    'cli/main': 'src/cli/main.ts',
  },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
});
// Loaded by path from benchmarks and from a test's child processes: one file each, outside the
// split build, where each would be one more entry point to cut the shared chunks by.
for (const [name, entry] of Object.entries({
  'cli/pkg-config': 'src/cli/pkg-config/index.ts',
  'runner/lock': 'src/runner/lock.ts',
  'workspace/discover': 'src/workspace/discover.ts',
  'workspace/graph': 'src/workspace/graph.ts',
})) {
  const plugins = [ownBundles, fdirWithoutPicomatch];
  await build({ ...common, plugins, entryPoints: { [name]: entry }, outdir, splitting: false });
}

// Packages loaded synchronously on first use (src/util/vendor.ts), each as one minified
// CommonJS file in dist/vendor. zod: only the builders Kiln's schemas use (the `Zod` type in
// src/util/zod.ts) are kept, which also leaves out its other locales (the package is 8 MB).
const ZOD_BUILDERS = ['array', 'boolean', 'custom', 'enum', 'literal', 'null', 'number', 'object'];
ZOD_BUILDERS.push('record', 'strictObject', 'string', 'union');
const vendored = {
  zod: `import * as zod from 'zod';\nexport const z = { ${ZOD_BUILDERS.map((n) => `${JSON.stringify(n)}: zod[${JSON.stringify(n)}]`).join(', ')} };\n`,
  yaml: "export { parse } from 'yaml';\n",
};
for (const [name, contents] of Object.entries(vendored)) {
  await build({
    absWorkingDir: root,
    stdin: { contents, resolveDir: root, loader: 'js' },
    outfile: path.join(outdir, 'vendor', `${name}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

// The published types must not name a package the install does not have (zod is bundled, not
// a dependency): every .d.ts reachable from an entry point imports only Kiln's own files,
// dependencies and node built-ins. Unreachable ones are not published.
const allowed = new Set([pkg.name, ...Object.keys(pkg.dependencies ?? {})]);
const typeEntries = Object.values(pkg.exports)
  .flatMap((e) => (typeof e === 'object' && e.types ? [path.relative('dist', e.types)] : []));
const reachable = new Set();
const problems = [];
const queue = typeEntries.map((f) => path.join(outdir, f));
if (typeEntries.length === 0) throw new Error('package.json exports name no types');
while (queue.length > 0) {
  const file = queue.pop();
  if (reachable.has(file)) continue;
  reachable.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
    const spec = m[1];
    if (spec.startsWith('.')) {
      queue.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.d.ts')));
    } else if (!spec.startsWith('node:') && !allowed.has(spec.split('/')[0])) {
      problems.push(`${path.relative(root, file)} imports ${spec}`);
    }
  }
}
if (problems.length > 0) {
  console.error(`Published types reference packages that are not dependencies:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
for (const file of readdirSync(outdir, { recursive: true })) {
  const abs = path.join(outdir, file);
  if (/\.d\.ts(\.map)?$/.test(file) && !reachable.has(abs.replace(/\.map$/, ''))) rmSync(abs);
}
