import { describe, expect, it } from 'vitest';
import { spawnProgram } from '../../src/runner/spawn.js';

const base = {
  cwd: process.cwd(),
  env: process.env,
  input: '',
  detached: false,
  killAfterMs: 2000,
  maxBuffer: 1024 * 1024,
};

describe('spawnProgram', () => {
  it('reports each line as it comes, keeps split UTF-8 whole, and still collects the output', async () => {
    const lines: string[] = [];
    // "é" is written in two halves, in separate writes, then a last line without a newline.
    const script = `
      const out = process.stdout;
      out.write('a\\nb');
      out.write(Buffer.from([0xc3]));
      setTimeout(() => { out.write(Buffer.from([0xa9])); out.write('\\n\\nlast'); process.stderr.write('warn\\r\\n'); }, 50);
    `;
    const r = await spawnProgram(process.execPath, ['-e', script], {
      ...base,
      onLine: (line, stream) => lines.push(`${stream}:${line}`),
    }).result;
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('a\nbé\n\nlast');
    expect(r.stderr).toBe('warn\r\n');
    expect(lines.filter((l) => l.startsWith('stdout:'))).toEqual([
      'stdout:a',
      'stdout:bé',
      'stdout:',
      'stdout:last',
    ]);
    expect(lines.filter((l) => l.startsWith('stderr:'))).toEqual(['stderr:warn']);
  });

  it('feeds the input to stdin and passes only the given environment', async () => {
    const r = await spawnProgram(
      process.execPath,
      [
        '-e',
        "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(s+':'+process.env.ONLY+':'+(process.env.HOME??'none')))",
      ],
      { ...base, env: { ONLY: 'yes', PATH: process.env.PATH }, input: 'in ünïcode' },
    ).result;
    expect(r.stdout).toBe('in ünïcode:yes:none');
  });

  it('a missing program is an ENOENT error, not an exit code', async () => {
    const r = await spawnProgram('kiln-no-such-program', [], base).result;
    expect(r.exitCode).toBeUndefined();
    expect(r.error?.code).toBe('ENOENT');
  });

  it('a non-zero exit and a signal are told apart', async () => {
    const exit = await spawnProgram(process.execPath, ['-e', 'process.exit(3)'], base).result;
    expect(exit.exitCode).toBe(3);
    const killed = await spawnProgram(
      process.execPath,
      ['-e', "process.kill(process.pid, 'SIGKILL')"],
      base,
    ).result;
    expect(killed.exitCode).toBeUndefined();
    expect(killed.signal).toBe('SIGKILL');
  });

  it('stops a program whose output exceeds maxBuffer', async () => {
    const r = await spawnProgram(
      process.execPath,
      ['-e', "const b = 'x'.repeat(65536); const w = () => process.stdout.write(b, w); w()"],
      { ...base, maxBuffer: 1 << 20 },
    ).result;
    expect(r.exitCode).toBeUndefined();
    expect(r.error?.message).toContain('larger than');
  });

  it('an abort signal stops the program', async () => {
    const controller = new AbortController();
    const run = spawnProgram(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      ...base,
      signal: controller.signal,
    });
    controller.abort();
    const r = await run.result;
    expect(r.canceled).toBe(true);
    expect(r.exitCode).toBeUndefined();
  });
});
