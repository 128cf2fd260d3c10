import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import { parseDirectiveLine } from '../../src/manifest/directive-line.js';

describe('parseDirectiveLine', () => {
  it.each([
    ['kiln:link-lib=z', { type: 'link-lib', name: 'z', kind: 'dylib' }],
    ['kiln:link-lib=static=foo', { type: 'link-lib', name: 'foo', kind: 'static' }],
    [
      'kiln:link-lib=static:+whole-archive=foo',
      { type: 'link-lib', name: 'foo', kind: 'static', wholeArchive: true },
    ],
    [
      'kiln:link-lib=framework=CoreFoundation',
      { type: 'link-lib', name: 'CoreFoundation', kind: 'framework' },
    ],
    ['kiln:link-search=/opt/lib', { type: 'link-search', kind: 'native', path: '/opt/lib' }],
    [
      'kiln:link-search=framework=/Library/Frameworks',
      { type: 'link-search', kind: 'framework', path: '/Library/Frameworks' },
    ],
    ['kiln:include=/opt/include dir', { type: 'include', path: '/opt/include dir' }],
    ['kiln:define=HAVE_ZLIB', { type: 'define', name: 'HAVE_ZLIB' }],
    ['kiln:define=VERSION="1.2"', { type: 'define', name: 'VERSION', value: '"1.2"' }],
    ['kiln:cfg=have_zlib', { type: 'cfg', name: 'have_zlib' }],
    ['kiln:cfg=zlib_flavour="ng"', { type: 'cfg', name: 'zlib_flavour', value: 'ng' }],
    ['kiln:cflag=-msse4.2', { type: 'cflag', flag: '-msse4.2' }],
    ['kiln:link-arg=-Wl,--as-needed', { type: 'link-arg', flag: '-Wl,--as-needed' }],
    ['kiln:rpath=$ORIGIN', { type: 'rpath', path: '$ORIGIN' }],
    ['kiln:env=FOO_DIR=/a=b', { type: 'env', name: 'FOO_DIR', value: '/a=b' }],
    ['kiln:rerun-if-changed=csrc/util.h', { type: 'rerun-if-changed', path: 'csrc/util.h' }],
    ['kiln:rerun-if-env-changed=ZLIB_DIR', { type: 'rerun-if-env-changed', name: 'ZLIB_DIR' }],
    ['kiln:metadata=include=/x/include', { type: 'metadata', key: 'include', value: '/x/include' }],
    ['kiln:warning=using bundled zlib', { type: 'warning', message: 'using bundled zlib' }],
    ['kiln:error=no compiler', { type: 'error', message: 'no compiler' }],
    ['kiln:include=/x\r', { type: 'include', path: '/x' }],
  ])('%s', (line, expected) => {
    expect(parseDirectiveLine(line)).toEqual(expected);
  });

  it.each(['compiling foo.c', 'cargo:rustc-link-lib=z', ' kiln:include=/x', ''])(
    'ignores a line that is not a directive: %j',
    (line) => {
      expect(parseDirectiveLine(line)).toBeUndefined();
    },
  );

  it('rejects an unknown key, quoting the line and naming the source', () => {
    const error = (() => {
      try {
        parseDirectiveLine('kiln:link-libs=z', 'the output of gen.sh');
      } catch (e) {
        return e as KilnError;
      }
    })();
    expect(error).toBeInstanceOf(KilnError);
    expect(error?.code).toBe('DIRECTIVE_UNKNOWN');
    expect(error?.message).toBe(
      'Unknown directive "link-libs" in the output of gen.sh: kiln:link-libs=z',
    );
    expect(error?.hint).toContain('kiln:link-lib=');
  });

  it.each([
    'kiln:link-lib=shared=z',
    'kiln:link-lib=dylib:+whole-archive=z',
    'kiln:env=NOVALUE',
    'kiln:include=',
    'kiln:metadata=k',
  ])('rejects a malformed value: %s', (line) => {
    expect(() => parseDirectiveLine(line)).toThrowError(
      expect.objectContaining({ code: 'DIRECTIVE_INVALID' }),
    );
  });
});
