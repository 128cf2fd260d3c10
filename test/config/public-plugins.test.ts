import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { addon } from '../../src/plugins/addon/index.js';
import { cc } from '../../src/plugins/cc/index.js';
import { cmake } from '../../src/plugins/cmake/index.js';
import { pkgConfig } from '../../src/plugins/pkg-config/index.js';

// The public factories load a plugin's code when it runs; until then they must be
// indistinguishable from the real plugins to the runner (name, linkOnly) and to the user
// (options are checked when the factory is called).
describe('public plugin factories', () => {
  const cases = [
    [
      'cc',
      () => api.cc({ name: 'core', sources: 'a.c' }),
      () => cc({ name: 'core', sources: 'a.c' }),
    ],
    [
      'cc shared',
      () => api.cc({ name: 'k', sources: ['a.c'], kind: 'shared' }),
      () => cc({ name: 'k', sources: ['a.c'], kind: 'shared' }),
    ],
    [
      'addon',
      () => api.addon({ name: 'm', sources: 'a.cc' }),
      () => addon({ name: 'm', sources: 'a.cc' }),
    ],
    [
      'cmake',
      () => api.cmake({ source: 'vendor/My Lib' }),
      () => cmake({ source: 'vendor/My Lib' }),
    ],
    [
      'pkgConfig',
      () => api.pkgConfig('zlib', { optional: true }),
      () => pkgConfig('zlib', { optional: true }),
    ],
  ] as const;

  it.each(cases)('%s has the name and linkOnly of the real plugin', (_, stand, real) => {
    const a = stand();
    const b = real();
    expect({ name: a.name, linkOnly: a.linkOnly }).toEqual({ name: b.name, linkOnly: b.linkOnly });
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  });

  it('checks options when called, with the same message as the real factory', () => {
    const bad = { name: 'x', sourcez: 'a.c' } as never;
    expect(() => api.cc(bad)).toThrow(
      /cc\(options\): unknown option "sourcez" \(did you mean "sources"\?\)/,
    );
    expect(() => api.cmake({ source: 'a', bogus: 1 } as never)).toThrow(
      /cmake\(options\).*"bogus"/,
    );
    expect(() => api.pkgConfig('zlib', { verison: '1' } as never)).toThrow(
      /did you mean "version"/,
    );
    expect(() => api.addon({ name: 'a-b', sources: 'a.c' })).toThrow(/addon\(options\)\.name/);
  });
});
