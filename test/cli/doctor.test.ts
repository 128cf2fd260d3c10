import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kiln, makePackage } from '../support/package.js';
import { itWith } from '../support/tools.js';

interface Check {
  name: string;
  found: boolean;
  required: boolean;
  optional?: boolean;
  detail: string;
}

/** A PATH with only the C toolchain: no ccache, no lipo, no C++ headers packages. */
function cOnlyPath(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-doctor-bin-'));
  for (const tool of ['cc', 'ar']) {
    const found = (process.env.PATH ?? '')
      .split(path.delimiter)
      .map((d) => path.join(d, tool))
      .find((f) => existsSync(f));
    if (found) symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

const PURE_C = {
  'build.config.ts':
    "import { addon, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [addon({ name: 'hello', sources: ['src/addon.c'] })] });\n",
  'src/addon.c': '#include <node_api.h>\n',
};

describe('kiln doctor reports what the package needs', () => {
  itWith('gcc')(
    'a pure-C addon on Linux: nothing missing, ccache and lipo optional, exit 0',
    async () => {
      const root = makePackage(PURE_C);
      const env = { PATH: cOnlyPath(), CC: undefined, CXX: undefined, AR: undefined };
      const r = await kiln(root, ['doctor'], { env });
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).not.toMatch(/node-addon-api/);
      expect(r.stdout).not.toMatch(/^(miss|MISS)\s+(node-api-headers|ccache|lipo)/m);
      expect(r.stdout).toMatch(/^--\s+ccache\s+not installed \(optional: speeds up rebuilds\)$/m);
      const json = await kiln(root, ['doctor', '--json'], { env });
      expect(json.exitCode).toBe(0);
      const checks: Check[] = JSON.parse(json.stdout).checks;
      const byName = (n: string) => checks.find((c) => c.name === n);
      expect(byName('ccache')).toMatchObject({ found: false, required: false, optional: true });
      expect(byName('node-api-headers')).toMatchObject({ required: false, optional: true });
      if (process.platform !== 'darwin') {
        expect(byName('lipo')).toMatchObject({ required: false, optional: true });
      }
      expect(byName('node-addon-api')).toBeUndefined();
    },
  );

  it('a package with C++ sources is told node-addon-api is missing; one that declares it fails', async () => {
    const root = makePackage({ 'src/addon.cc': '#include <napi.h>\n' });
    const r = await kiln(root, ['doctor', '--json']);
    const checks: Check[] = JSON.parse(r.stdout).checks;
    expect(checks.find((c) => c.name === 'node-addon-api')).toMatchObject({
      found: false,
      required: false,
    });
    expect(checks.find((c) => c.name === 'node-addon-api')?.optional).toBeUndefined();

    const declared = makePackage({});
    const pkg = path.join(declared, 'package.json');
    const json = JSON.parse(readFileSync(pkg, 'utf8'));
    writeFileSync(pkg, JSON.stringify({ ...json, dependencies: { 'node-addon-api': '^8.0.0' } }));
    const d = await kiln(declared, ['doctor']);
    expect(d.stdout).toMatch(
      /^MISS\s+node-addon-api\s+not installed, but package.json declares it/m,
    );
    expect(d.exitCode).toBe(1);
  });
});
