import { describe, expect, it } from 'vitest';
import { buildFromSourceRequested } from '../../src/cli/install.js';

describe('kiln install: asking for a build from source', () => {
  it.each([
    [{ KILN_BUILD_FROM_SOURCE: '1' }, 'KILN_BUILD_FROM_SOURCE'],
    [{ KILN_BUILD_FROM_SOURCE: 'true' }, 'KILN_BUILD_FROM_SOURCE'],
    [{ KILN_BUILD_FROM_SOURCE: '0' }, undefined],
    [{ KILN_BUILD_FROM_SOURCE: '' }, undefined],
    [{ npm_config_build_from_source: 'true' }, 'npm_config_build_from_source'],
    [{ npm_config_build_from_source: 'false' }, undefined],
    // npm install --build-from-source=<names>: only the packages named.
    [{ npm_config_build_from_source: 'other,hello-addon' }, 'npm_config_build_from_source'],
    [{ npm_config_build_from_source: 'other' }, undefined],
    [{}, undefined],
  ])('%j → %s', (env, expected) => {
    expect(buildFromSourceRequested(env, 'hello-addon')).toBe(expected);
  });
});
