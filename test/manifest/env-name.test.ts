import { describe, expect, it } from 'vitest';
import { ManifestBuilder } from '../../src/manifest/builder.js';
import { parseDirectiveLine } from '../../src/manifest/directive-line.js';

const header = {
  package: { name: 'p', root: '/p' },
  target: 'x86_64-unknown-linux-gnu',
  profile: 'debug',
  kilnVersion: '0',
};

const BAD_NAMES = ['X;touch /tmp/f;Y', '1ABC', 'A-B', 'A B', 'A.B', 'Ä', '$(x)', 'A\nB', ''];

describe('env names', () => {
  it.each(BAD_NAMES.filter(Boolean))(
    'a kiln:env line naming %j is refused, naming the name and the rule',
    (name) => {
      const line = `kiln:env=${name}=1`;
      expect(() => parseDirectiveLine(line, 'the output of gen.sh')).toThrowError(
        expect.objectContaining({
          code: 'DIRECTIVE_INVALID',
          message: expect.stringContaining(
            `Invalid env name ${JSON.stringify(name)} in the output of gen.sh`,
          ),
          hint: expect.stringContaining('[A-Za-z_][A-Za-z0-9_]*'),
        }),
      );
    },
  );

  it('parses the classic injection line into a refusal, not an env entry', () => {
    expect(() => parseDirectiveLine('kiln:env=X;touch /tmp/f;Y=1')).toThrowError(
      /Invalid env name "X;touch \/tmp\/f;Y"/,
    );
  });

  it.each(['FOO', '_x', 'a1_B2', '__'])('accepts the identifier %s', (name) => {
    expect(parseDirectiveLine(`kiln:env=${name}=v;$(x)`)).toEqual({
      type: 'env',
      name,
      value: 'v;$(x)',
    });
  });

  it.each(BAD_NAMES)('ctx.emit of an env directive named %j is refused', (name) => {
    const b = new ManifestBuilder(header);
    expect(() => b.add({ type: 'env', name, value: '1' })).toThrowError(
      expect.objectContaining({
        code: 'DIRECTIVE_INVALID',
        message: expect.stringContaining(`Invalid env name ${JSON.stringify(name)}`),
      }),
    );
    expect(b.finish({ files: [], env: [] }).env).toEqual({});
  });

  it('refuses an env value with NUL, which no environment can hold', () => {
    const b = new ManifestBuilder(header);
    expect(() => b.add({ type: 'env', name: 'A', value: 'a\0b' })).toThrowError(/NUL/);
  });
});
