/**
 * The layer order of ARCHITECTURE.md is enforced by Biome's noRestrictedImports (overrides per
 * folder in biome.json). These tests run the real Biome with the repository's configuration over
 * a throw-away tree that imports across every layer boundary, so a rule that is missing or too
 * wide fails here, and over src/ itself, which must obey every rule.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/package.js';

const BIOME = path.join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');

/** Every folder of src/ with a layer rule, and the folders it must not import (top → bottom). */
const FORBIDDEN: Record<string, string[]> = {
  workspace: ['cli'],
  runner: ['cli', 'workspace'],
  config: ['cli', 'workspace'],
  recipes: ['cli', 'workspace', 'runner', 'config'],
  plugins: ['cli', 'workspace', 'runner', 'config', 'recipes'],
  compile: [
    ...['cli', 'workspace', 'runner', 'config', 'recipes', 'plugins'],
    ...['pkgconf', 'gyp'],
  ],
  toolchain: [
    ...['cli', 'workspace', 'runner', 'config', 'recipes', 'plugins'],
    ...['compile', 'pkgconf', 'gyp'],
  ],
  pkgconf: [
    ...['cli', 'workspace', 'runner', 'config', 'recipes', 'plugins'],
    ...['compile', 'toolchain', 'gyp'],
  ],
  gyp: [
    ...['cli', 'workspace', 'runner', 'config', 'recipes', 'plugins'],
    ...['compile', 'toolchain', 'pkgconf'],
  ],
  manifest: [
    ...['cli', 'workspace', 'runner', 'config', 'recipes', 'plugins'],
    ...['compile', 'toolchain', 'pkgconf', 'gyp'],
  ],
  location: [
    ...['cli', 'workspace', 'runner', 'config', 'recipes', 'plugins'],
    ...['compile', 'toolchain', 'pkgconf', 'gyp', 'manifest', 'state'],
  ],
  target: [
    ...['cli', 'workspace', 'runner', 'config', 'recipes', 'plugins'],
    ...['compile', 'toolchain', 'pkgconf', 'gyp', 'manifest', 'location', 'state'],
  ],
  state: [
    ...['cli', 'workspace', 'runner', 'config', 'recipes', 'plugins'],
    ...['compile', 'toolchain', 'pkgconf', 'gyp', 'manifest', 'location', 'target'],
  ],
  util: [
    ...['cli', 'workspace', 'runner', 'config', 'recipes', 'plugins'],
    ...['compile', 'toolchain', 'pkgconf', 'gyp', 'manifest', 'location', 'target', 'state'],
  ],
};

/** The modules of runner/ and config/ that recipes and plugins program against. */
const PLUGIN_KIT = [...['runner/types', 'runner/linkable', 'runner/graph'], ...['config/options']];

/** Imports each folder relies on that the rules must keep allowing. */
const ALLOWED: Record<string, string[]> = {
  cli: ['workspace/graph', 'runner/build', 'plugins/cc/index', 'pkgconf/resolver', 'util/fs'],
  workspace: ['runner/build', 'config/find', 'manifest/schema'],
  runner: ['config/load', 'manifest/schema', 'location/index', 'toolchain/which', 'state/index'],
  config: ['runner/types', 'recipes/index', 'util/suggest'],
  recipes: ['plugins/cc/index', 'pkgconf/version', ...PLUGIN_KIT],
  plugins: [
    ...PLUGIN_KIT,
    ...['compile/units', 'toolchain/index'],
    ...['pkgconf/resolver', 'manifest/schema', 'target/triple', 'state/index', 'util/fs'],
  ],
  compile: ['runner/types', 'toolchain/index', 'manifest/schema', 'target/triple', 'state/index'],
  toolchain: ['runner/types', 'manifest/schema', 'target/triple', 'state/index', 'util/fs'],
  pkgconf: ['manifest/schema', 'target/triple', 'util/suggest'],
  gyp: ['state/index', 'util/fs'],
  manifest: ['location/index', 'target/triple', 'state/index', 'util/fs'],
  location: ['target/triple', 'util/fs'],
  target: ['util/fs'],
  state: ['util/process'],
};

/** A file of `layer` at the depth its folder has (plugins live one folder deeper). */
function fileIn(layer: string, name: string): { rel: string; up: string } {
  return layer === 'plugins'
    ? { rel: `src/plugins/demo/${name}.ts`, up: '../../' }
    : { rel: `src/${layer}/${name}.ts`, up: '../' };
}

interface Diagnostic {
  file: string;
  line: number;
}

let tree: string;
let diagnostics: Diagnostic[];
let output: string;

function write(rel: string, text: string): void {
  const file = path.join(tree, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function lintRestrictedImports(cwd: string, dir: string) {
  return execa(
    process.execPath,
    [BIOME, 'lint', '--only=style/noRestrictedImports', '--max-diagnostics=none', dir],
    { cwd, reject: false, all: true, env: { NO_COLOR: '1' } },
  );
}

beforeAll(async () => {
  tree = mkdtempSync(path.join(os.tmpdir(), 'kiln-layers-'));
  // The repository's own rules; only the VCS lookup is off (the temp tree is not a checkout).
  const config = JSON.parse(readFileSync(path.join(REPO_ROOT, 'biome.json'), 'utf8'));
  config.vcs = { enabled: false };
  write('biome.json', JSON.stringify(config, null, 2));

  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    for (const higher of forbidden) {
      const { rel, up } = fileIn(layer, `imports-${higher}`);
      // Not one of the plugin kit's modules, which lower layers may use.
      write(rel, `import { x } from '${up}${higher}/impl.js';\nexport const y = x;\n`);
    }
  }
  for (const [layer, targets] of Object.entries(ALLOWED)) {
    const { rel, up } = fileIn(layer, 'allowed');
    write(rel, targets.map((t, i) => `import * as m${i} from '${up}${t}.js';\n`).join(''));
  }
  write(
    'src/target/dynamic.ts',
    "export const load = () => import('../runner/build.js');\nexport * from '../toolchain/lipo.js';\n",
  );
  write('src/toolchain/msvc/nested.ts', "import { JobPool } from '../../runner/jobs.js';\n");
  write('src/errors.ts', "import { displayPath } from './util/fs.js';\n");

  const r = await lintRestrictedImports(tree, 'src');
  output = r.all ?? '';
  diagnostics = [
    ...output.matchAll(/^(src\/\S+?):(\d+):\d+ lint\/style\/noRestrictedImports/gm),
  ].map((m) => ({ file: m[1]!, line: Number(m[2]) }));
}, 60_000);

describe('layer rules (biome.json noRestrictedImports)', () => {
  it('reject a target/ file importing runner/, naming the import and the rule', () => {
    expect(diagnostics).toContainEqual({ file: 'src/target/imports-runner.ts', line: 1 });
    const block = output.slice(output.indexOf('src/target/imports-runner.ts:'));
    expect(block).toContain("'../runner/impl.js'");
    expect(block).toContain('Layer rule: target/ may import only util/');
  });

  it.each(Object.entries(FORBIDDEN))(
    'reject every higher layer imported from %s/',
    (layer, higher) => {
      const flagged = diagnostics.map((d) => d.file);
      const missing = higher.filter((h) => !flagged.includes(fileIn(layer, `imports-${h}`).rel));
      expect(missing).toEqual([]);
    },
  );

  it('reject dynamic imports, re-exports and files in nested folders too', () => {
    expect(diagnostics).toContainEqual({ file: 'src/target/dynamic.ts', line: 1 });
    expect(diagnostics).toContainEqual({ file: 'src/target/dynamic.ts', line: 2 });
    expect(diagnostics).toContainEqual({ file: 'src/toolchain/msvc/nested.ts', line: 1 });
    expect(diagnostics).toContainEqual({ file: 'src/errors.ts', line: 1 });
  });

  it('allow imports downward and the plugin kit', () => {
    expect(diagnostics.filter((d) => d.file.endsWith('/allowed.ts'))).toEqual([]);
  });

  it('hold for src/ itself', async () => {
    const r = await lintRestrictedImports(REPO_ROOT, 'src');
    expect(r.exitCode, r.all).toBe(0);
  });
});
