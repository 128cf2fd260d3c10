import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { hostTriple } from '../../../src/target/triple.js';
import { freePort } from '../../support/net.js';
import { kiln, makePackage } from '../../support/package.js';
import { itWith } from '../../support/tools.js';

const UNITS = 40;

/** Resolves once something accepts connections on 127.0.0.1:port (the daemon is up). */
async function listening(port: number, daemon: ChildProcess): Promise<void> {
  for (;;) {
    if (daemon.exitCode !== null) throw new Error(`distccd on port ${port} exited`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('distcc: compiles go to the farm, archives and links stay local', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-distcc-'));
  const daemons: { port: number; log: string; proc: ChildProcess }[] = [];
  const it = itWith('distcc', 'distccd', 'gcc');

  beforeAll(async () => {
    // distccd drops root for its own user, which must reach and write its log.
    chmodSync(dir, 0o755);
    for (const n of [1, 2]) {
      const port = await freePort();
      const log = path.join(dir, `distccd-${n}.log`);
      writeFileSync(log, '');
      chmodSync(log, 0o666);
      const proc = spawn(
        'distccd',
        [
          '--daemon',
          '--no-detach',
          '--allow',
          '127.0.0.1',
          '--listen',
          '127.0.0.1',
          '--port',
          String(port),
          '--jobs',
          '4',
          '--log-file',
          log,
          '--log-level',
          'info',
        ],
        { stdio: 'ignore' },
      );
      daemons.push({ port, log, proc });
      await listening(port, proc);
    }
  });
  afterAll(() => {
    for (const d of daemons) d.proc.kill('SIGTERM');
  });

  it(`builds a ${UNITS}-unit library on two loopback daemons with no local fallback, and it runs`, async () => {
    const files: Record<string, string> = {
      'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'many', sources: ['src/*.c'], includes: ['include'] })] });
`,
      'include/many.h': Array.from({ length: UNITS }, (_, i) => `int unit${i}(void);`).join('\n'),
    };
    for (let i = 0; i < UNITS; i++) {
      files[`src/unit${i}.c`] = `#include "many.h"\nint unit${i}(void) { return ${i}; }\n`;
    }
    const root = makePackage(files, { dirName: 'farm pkg' });
    mkdirSync(path.join(dir, 'client'), { recursive: true });
    const env = {
      KILN_CC_WRAPPER: 'distcc',
      CC: 'gcc',
      DISTCC_HOSTS: daemons.map((d) => `127.0.0.1:${d.port}/4`).join(' '),
      DISTCC_FALLBACK: '0',
      DISTCC_SKIP_LOCAL_RETRY: '1',
      DISTCC_DIR: path.join(dir, 'client'),
    };
    const doctor = await kiln(root, ['doctor', '--json'], { env });
    const check = (
      JSON.parse(doctor.stdout) as { checks: { name: string; detail: string }[] }
    ).checks.find((c) => c.name === 'distcc hosts');
    expect(check?.detail).toMatch(/^8 slots from DISTCC_HOSTS: 127\.0\.0\.1:\d+\/4 \(4\), 127/);

    const r = await kiln(root, ['build'], { env, timeout: 300_000 });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all.match(/\bCC\s+src\/unit\d+\.c/g)).toHaveLength(UNITS);

    // Both daemons compiled, and between them every unit (none ran locally).
    const done = daemons.map(
      (d) => (readFileSync(d.log, 'utf8').match(/COMPILE_OK/g) ?? []).length,
    );
    expect(done[0]).toBeGreaterThan(0);
    expect(done[1]).toBeGreaterThan(0);
    expect(done[0]! + done[1]!).toBe(UNITS);

    const main = path.join(root, 'main.c');
    const calls = Array.from({ length: UNITS }, (_, i) => `unit${i}()`).join(' + ');
    writeFileSync(
      main,
      `#include <stdio.h>\n#include "many.h"\nint main(void) { printf("%d\\n", ${calls}); return 0; }\n`,
    );
    const lib = path.join(
      root,
      'build',
      'kiln',
      hostTriple(),
      'release',
      'cc',
      'many',
      'libmany.a',
    );
    const exe = path.join(root, 'main');
    await execa('gcc', [main, `-I${path.join(root, 'include')}`, lib, '-o', exe]);
    const { stdout } = await execa(exe);
    expect(Number(stdout)).toBe((UNITS * (UNITS - 1)) / 2);
  });
});
