import { cpSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { makePackage, REPO_ROOT } from '../../support/package.js';

export const ADDON_FIXTURES = path.join(REPO_ROOT, 'native-fixtures', 'addon');

export interface AddonPackageOptions {
  /** The addon's source, relative to the package (`native/c/binding.c`). */
  source: string;
  /** Extra `addon()` options, as TypeScript source (`prebuild: true,`). */
  extra?: string;
  /** Packages of this repo's node_modules to make resolvable from the package. */
  deps?: string[];
  dirName?: string;
}

/**
 * A temp package holding a copy of native-fixtures/addon under `native/` and a build config that
 * builds the addon `binding` over core (cc, static), zlib (pkgConfig) and kit (cmake, shared).
 */
export function addonPackage(options: AddonPackageOptions): string {
  const config = `import { addon, cc, cmake, defineConfig, pkgConfig } from 'kilnjs';

const core = cc({ name: 'core', sources: ['native/core/src/*.c'], includes: ['native/core/include'] });
const kit = cmake({ source: 'native/kit', name: 'kit' });

export default defineConfig({
  plugins: [
    addon({
      name: 'binding',
      sources: [${JSON.stringify(options.source)}],
      includes: ['native/core/include'],
      link: [core, pkgConfig('zlib'), kit],
      ${options.extra ?? ''}
    }),
  ],
});
`;
  const root = makePackage(
    { 'build.config.ts': config },
    { name: 'addon-fixture', dirName: options.dirName ?? 'addon pkg ñ' },
  );
  cpSync(ADDON_FIXTURES, path.join(root, 'native'), { recursive: true });
  for (const dep of options.deps ?? []) {
    symlinkSync(
      path.join(REPO_ROOT, 'node_modules', dep),
      path.join(root, 'node_modules', dep),
      'dir',
    );
  }
  return root;
}

/** What the probe script prints about the loaded addon. */
export interface Probe {
  add: number;
  greeting: string;
  crc32: number;
  roundTrip: string;
  scale: number;
  kitName: string;
}

/**
 * Loads the addon in a separate Node process (an addon cannot be unloaded, and a test must see
 * the file on disk, not a cached module), through `loadAddon` or a plain `require` of `file`.
 */
export async function probeAddon(root: string, file?: string): Promise<Probe> {
  const load = file
    ? `const a = createRequire(import.meta.url)(${JSON.stringify(file)});`
    : "const { loadAddon } = await import('kilnjs'); const a = loadAddon('binding', { root: process.cwd() });";
  const script = `import { createRequire } from 'node:module';
${load}
console.log(JSON.stringify({ add: a.add(2, 40), greeting: a.greeting(), crc32: a.crc32('hello'),
  roundTrip: a.roundTrip('round and round'), scale: a.scale(7), kitName: a.kitName() }));`;
  const r = await execa(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: { LD_LIBRARY_PATH: '' },
  });
  return JSON.parse(r.stdout) as Probe;
}

/** zlib's crc32("hello"). */
export const CRC32_HELLO = 0x3610a686;
