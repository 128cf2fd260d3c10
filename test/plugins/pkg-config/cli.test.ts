import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/pkg-config/argv.js';
import { kiln, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { oracle, ours, PKGCONF } from './oracle.js';

const BASIC = path.resolve(import.meta.dirname, '../../../native-fixtures/pkgconfig/basic');

describe('pkg-config argv grammar', () => {
  it('accepts -opt, --opt, unique prefixes, =value and separate values, options after packages', () => {
    const a = parseArgs([
      'zlib',
      '-libs',
      '--modv',
      '--variable',
      'prefix',
      '--define-variable=a=b',
      'x',
      '>=',
      '1',
    ]);
    expect([...a.flags].sort()).toEqual(['libs', 'modversion']);
    expect(a.values.get('variable')).toBe('prefix');
    expect(a.repeated.get('define-variable')).toEqual(['a=b']);
    expect(a.packages).toEqual(['zlib', 'x >= 1']);
  });
  it.each([
    [['--cflag'], 'pkgconf: ambiguous option -- cflag'],
    [['--bogus'], 'pkgconf: unknown option -- bogus'],
  ])('rejects %j', (args, message) => {
    expect(() => parseArgs(args)).toThrow(message);
  });
});

describe('runPkgConfig stderr and exit codes', () => {
  const it2 = itWith(PKGCONF);
  const env = { PKG_CONFIG_LIBDIR: BASIC };
  it2.each([
    [['--libs', 'nothere']],
    [['--libs', '--short-errors', 'nothere']],
    [['--libs', 'base > 9']],
    [['--libs', 'broken']],
    [['--exists', '--print-errors', 'nothere']],
    [['--exists', 'nothere']],
    [['--atleast-version=9', '--print-errors', 'base', 'nothere']],
    [['--libs', '--silence-errors', 'nothere']],
    [['--errors-to-stdout', '--libs', 'nothere']],
    [['--libs', 'conflicting']],
    [['--modversion', 'needs-new']],
    [[]],
    [['--bogus']],
  ])('prints what pkgconf prints for %j', async (args) => {
    const o = oracle(args, env);
    const u = await ours(args, env);
    const stderr = spawnSync(PKGCONF, args, { env, encoding: 'utf8' }).stderr;
    expect([u.code, u.stdout]).toEqual([o.code, o.stdout]);
    expect(u.stderr.split('\n').sort()).toEqual(stderr.split('\n').sort());
  });
});

describe('kiln pkg-config (the built bin)', () => {
  const it2 = itWith(PKGCONF);
  it2('answers like pkgconf, stdout bytes and exit code', async () => {
    for (const args of [
      ['--cflags', '--libs', 'zlib >= 1.2', 'libxml-2.0'],
      ['--modversion', 'zlib'],
      ['--libs', 'nothere'],
    ]) {
      const r = await kiln(REPO_ROOT, ['pkg-config', ...args], { env: { PATH: process.env.PATH } });
      const o = oracle(args, {});
      expect([r.exitCode, r.stdout]).toEqual([o.code, o.stdout.replace(/\n$/, '')]);
    }
  });
});
