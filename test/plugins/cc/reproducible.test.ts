import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { kiln } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { copyElsewhere, outputs, reproPackage } from './repro-fixture.js';

async function load(file: string): Promise<{ add: number; where: string }> {
  const script = `const a = require(${JSON.stringify(file)});
console.log(JSON.stringify({ add: a.add(2, 40), where: a.where() }));`;
  const r = await execa(process.execPath, ['-e', script]);
  return JSON.parse(r.stdout);
}

describe('cc: outputs do not depend on where the package is checked out', () => {
  for (const [cc, cxx] of [
    ['gcc', 'g++'],
    ['clang', 'clang++'],
  ] as const) {
    itWith(cc, cxx)(
      `${cc}: two cold builds at different paths give byte-identical libraries and addons`,
      async () => {
        const a = reproPackage();
        const b = copyElsewhere(a);
        const env = { CC: cc, CXX: cxx };
        for (const root of [a, b]) {
          const r = await kiln(root, ['build'], { env });
          expect(r.exitCode, r.all).toBe(0);
        }
        const fromA = outputs(a);
        const fromB = outputs(b);
        expect([...fromA.keys()].sort()).toEqual([...fromB.keys()].sort());
        expect([...fromA.keys()].filter((f) => f.endsWith('libcalc.a'))).toHaveLength(1);
        expect([...fromA.keys()].filter((f) => f.endsWith('binding.node')).length).toBeGreaterThan(
          0,
        );
        for (const [file, bytes] of fromA) {
          expect(bytes.equals(fromB.get(file)!), `${file} differs between checkouts`).toBe(true);
          // Neither checkout's path is anywhere in the bytes.
          expect(bytes.includes(Buffer.from(path.dirname(a))), file).toBe(false);
          expect(bytes.includes(Buffer.from(path.dirname(b))), file).toBe(false);
        }
        const node = path.join(b, 'build', 'Release', 'binding.node');
        expect(await load(node)).toEqual({ add: 42, where: 'native/lib/where.c' });
      },
    );
  }
});
