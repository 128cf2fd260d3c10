import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { GATE_CC, makeGate, startKiln } from '../support/gate.js';
import { KILN_BIN, makePackage } from '../support/package.js';
import { itWith } from '../support/tools.js';

const CONFIG = `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'two', sources: ['src/*.c'] })] });
`;

function twoSources(): string {
  return makePackage({
    'build.config.ts': CONFIG,
    'src/big.c': 'int big(void) { return 1; }\n',
    'src/other.c': 'int other(void) { return 2; }\n',
  });
}

/** Resolves once `text()` matches `pattern`; output is awaited, never a fixed delay. */
async function waitForOutput(text: () => string, pattern: RegExp, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (!pattern.test(text())) {
    if (Date.now() > until) throw new Error(`no ${pattern} in output:\n${text()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// `script` runs the CLI on a pseudo-terminal, as a user's shell does.
const ttyIt = itWith('script', 'gcc');

describe('progress on a terminal while jobs run', () => {
  ttyIt(
    'shows every running job with its elapsed time; plain output is unchanged and --json has each job end',
    async () => {
      const gate = makeGate();
      const root = twoSources();
      const env = { CC: GATE_CC, ...gate.env('src/'), CFLAGS: '', NO_COLOR: '1', TERM: 'xterm' };
      const tty = execa(
        'script',
        ['-qec', `'${process.execPath}' '${KILN_BIN}' build -j 2`, '/dev/null'],
        { cwd: root, env, reject: false },
      );
      let screen = '';
      tty.stdout?.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
      });
      // Both compiles are held at the gate: both are running jobs.
      await gate.reached(2);
      // The line is redrawn with the time each job has been running (a second or more).
      const both = /\[\d\/3\] CC +src\/(big|other)\.c \(\d+s\), CC +src\/(big|other)\.c \(\d+s\)/;
      await waitForOutput(() => screen, both);
      const line = screen.split(/\r|\n/).find((l) => both.test(l));
      expect(line).toMatch(/src\/big\.c/);
      expect(line).toMatch(/src\/other\.c/);

      // The same build without a terminal, and with --json, held at the same point.
      const plainGate = makeGate();
      const plainRoot = twoSources();
      const plain = startKiln(plainRoot, ['build', '-j', '2'], {
        CC: GATE_CC,
        ...plainGate.env('src/'),
        CFLAGS: '',
      });
      const jsonGate = makeGate();
      const jsonRoot = twoSources();
      const json = startKiln(jsonRoot, ['build', '-j', '2', '--json'], {
        CC: GATE_CC,
        ...jsonGate.env('src/'),
        CFLAGS: '',
      });
      await Promise.all([plainGate.reached(2), jsonGate.reached(2)]);
      gate.open();
      plainGate.open();
      jsonGate.open();

      const [t, p, j] = await Promise.all([tty, plain, json]);
      expect(t.exitCode, screen).toBe(0);
      expect(p.exitCode, p.all).toBe(0);
      expect(j.exitCode, j.all).toBe(0);
      // Once the jobs ended the line moved on to the archive and the build finished.
      expect(screen).toMatch(/Finished fixture-pkg/);

      expect(p.stdout).not.toContain('\r');
      expect(p.stdout).not.toMatch(/\(\d+s\)/);
      expect(p.stdout.split('\n').filter((l) => l.startsWith('['))).toEqual([
        expect.stringMatching(/^\[1\/3\] CC +src\/(big|other)\.c$/),
        expect.stringMatching(/^\[2\/3\] CC +src\/(big|other)\.c$/),
        expect.stringMatching(/^\[3\/3\] AR +build\/kiln\/.*libtwo\.a$/),
      ]);

      const events = j.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      expect(events.every((e) => !('color' in e))).toBe(true);
      const compiles = events.filter((e) => e.type === 'progress' && e.step === 'CC');
      expect(compiles.map((e) => e.job)).toEqual([true, true]);
      const ended = events.filter((e) => e.type === 'progress-end').map((e) => e.n);
      expect(ended.sort()).toEqual(compiles.map((e) => e.n).sort());
    },
  );
});
