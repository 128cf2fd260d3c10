import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distributedSlots, remoteJobs } from '../../src/toolchain/distcc.js';
import { kiln, makePackage, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';

describe('icecream compile slots', () => {
  it('come from KILN_REMOTE_JOBS for icecc and distcc, never for a local wrapper', () => {
    expect(distributedSlots('icecc', {})).toBeUndefined();
    expect(distributedSlots('icecc', { KILN_REMOTE_JOBS: '40' })).toBe(40);
    expect(distributedSlots('icecc', { KILN_REMOTE_JOBS: ' ' })).toBeUndefined();
    // An explicit farm size wins over distcc's host list; zeroconf farms can be sized too.
    expect(distributedSlots('distcc', { KILN_REMOTE_JOBS: '12', DISTCC_HOSTS: 'a/3' })).toBe(12);
    expect(distributedSlots('distcc', { KILN_REMOTE_JOBS: '12', DISTCC_HOSTS: '+zeroconf' })).toBe(
      12,
    );
    expect(distributedSlots('ccache', { KILN_REMOTE_JOBS: '12' })).toBeUndefined();
  });

  it('refuses a KILN_REMOTE_JOBS that is not a whole number of slots, naming it', () => {
    for (const bad of ['0', '-3', '2.5', 'many', '1e3']) {
      expect(() => remoteJobs({ KILN_REMOTE_JOBS: bad })).toThrow(
        expect.objectContaining({
          code: 'USAGE',
          message: expect.stringContaining(`KILN_REMOTE_JOBS must be a whole number`),
          hint: expect.stringContaining('KILN_REMOTE_JOBS=40'),
        }),
      );
    }
  });

  itWith('gcc')(
    'a build through icecc runs KILN_REMOTE_JOBS compiles at once, more than the local cores',
    async () => {
      const want = os.availableParallelism() + 2;
      const files: Record<string, string> = {
        'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'farm', sources: ['src/*.c'] })] });
`,
      };
      for (let i = 0; i < want; i++) files[`src/u${i}.c`] = `int u${i}(void) { return ${i}; }\n`;
      const root = makePackage(files, { dirName: 'ice pkg ü' });
      // A stand-in named icecc: it lets no compile finish until `want` have started together.
      const bin = mkdtempSync(path.join(os.tmpdir(), 'kiln-icecc-'));
      symlinkSync(path.join(REPO_ROOT, 'test/support/barrier-cc.mjs'), path.join(bin, 'icecc'));
      const started = path.join(bin, 'started');
      mkdirSync(started);
      const env = {
        KILN_CC_WRAPPER: path.join(bin, 'icecc'),
        CC: 'gcc',
        BARRIER_DIR: started,
        BARRIER_COUNT: String(want),
        BARRIER_TIMEOUT_MS: '60000',
      };
      const r = await kiln(root, ['build'], {
        env: { ...env, KILN_REMOTE_JOBS: String(want) },
        timeout: 120_000,
      });
      expect(r.exitCode, r.all).toBe(0);
      expect(r.all.match(/\bCC\s+src\/u\d+\.c/g)).toHaveLength(want);

      const bad = await kiln(root, ['build', '--force'], {
        env: { ...env, KILN_REMOTE_JOBS: 'lots' },
      });
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).toContain('KILN_REMOTE_JOBS must be a whole number');
    },
  );
});
