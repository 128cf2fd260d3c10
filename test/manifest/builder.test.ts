import { describe, expect, it } from 'vitest';
import { ManifestBuilder } from '../../src/manifest/builder.js';
import { emptyLinkInfo } from '../../src/manifest/schema.js';

const header = {
  package: { name: 'p', root: '/p' },
  target: 'x86_64-unknown-linux-gnu',
  profile: 'debug',
  kilnVersion: '0',
};

describe('ManifestBuilder', () => {
  it('keeps link order: a library linked again moves after what needs it', () => {
    const b = new ManifestBuilder(header);
    b.addLink({ ...emptyLinkInfo(), libs: [{ name: 'z', kind: 'static', path: '/z/libz.a' }] });
    b.addLink({
      ...emptyLinkInfo(),
      libs: [
        { name: 'png', kind: 'static', path: '/png/libpng.a' },
        { name: 'z', kind: 'static', path: '/z/libz.a' },
        { name: 'm', kind: 'dylib' },
      ],
    });
    expect(b.finish({ files: [], env: [] }).libs.map((l) => l.name)).toEqual(['png', 'z', 'm']);
  });

  it('keeps the first of repeated include dirs, search paths and defines', () => {
    const b = new ManifestBuilder(header);
    for (let i = 0; i < 2; i++) {
      b.addLink({
        ...emptyLinkInfo(),
        includes: ['/a', '/b'],
        searchPaths: [{ kind: 'native', path: '/lib' }],
        defines: [{ name: 'X', value: '1' }],
      });
    }
    const m = b.finish({ files: [], env: [] });
    expect(m.includes).toEqual(['/a', '/b']);
    expect(m.searchPaths).toEqual([{ kind: 'native', path: '/lib' }]);
    expect(m.defines).toEqual([{ name: 'X', value: '1' }]);
  });
});
