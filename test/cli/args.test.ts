import { describe, expect, it } from 'vitest';
import { parseBuildArgs, parseDoctorArgs, parsePrintArgs } from '../../src/cli/args.js';

const FORMATS = ['json', 'flags', 'gyp'];

describe('hand-parsed command lines', () => {
  it('build: values in both spellings, -j glued or not, booleans', () => {
    expect(parseBuildArgs(['--cwd=a b', '-j4', '--release', '-q'])).toEqual({
      cwd: 'a b',
      jobs: 4,
      release: true,
      quiet: true,
    });
    expect(parseBuildArgs(['--jobs', '2', '--out-dir', 'o'])).toEqual({ jobs: 2, outDir: 'o' });
  });

  it('leaves to the full parser what it does not know or what is a usage error', () => {
    expect(parseBuildArgs(['--no-such-flag'])).toBeUndefined();
    expect(parseBuildArgs(['-j', '0'])).toBeUndefined();
    expect(parseBuildArgs(['--target'])).toBeUndefined();
    expect(parseBuildArgs(['--cwd', 'a', '--cwd', 'b'])).toBeUndefined();
    expect(parsePrintArgs(['--format', 'nope'], FORMATS)).toBeUndefined();
    expect(parsePrintArgs(['-j4'], FORMATS)).toBeUndefined();
    expect(parsePrintArgs(['--debug', '--release'], FORMATS)).toBeUndefined();
    expect(parsePrintArgs(['--help'], FORMATS)).toBeUndefined();
    expect(parseDoctorArgs(['--profile', 'x'])).toBeUndefined();
    expect(parseDoctorArgs(['--target', 'x86_64-pc-windows-msvc'])).toEqual({
      target: 'x86_64-pc-windows-msvc',
    });
    expect(parseDoctorArgs(['extra'])).toBeUndefined();
  });

  it('print and doctor: their own flags', () => {
    expect(parsePrintArgs(['-f', 'gyp', '--cflags', '-o', 'out.gypi', '--debug'], FORMATS)).toEqual(
      { format: 'gyp', cflags: true, output: 'out.gypi', debug: true },
    );
    expect(parsePrintArgs(['-w', '--json'], FORMATS)).toEqual({ workspaces: true, json: true });
    expect(parseDoctorArgs(['--json', '--cwd', 'pkg'])).toEqual({ json: true, cwd: 'pkg' });
    expect(parseDoctorArgs(['--target', 'aarch64-unknown-linux-gnu'])).toEqual({
      target: 'aarch64-unknown-linux-gnu',
    });
  });
});
