import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distccHosts, distributedSlots, parseDistccHosts } from '../../src/toolchain/distcc.js';

describe('distcc host lists', () => {
  it('applies distcc defaults: 4 slots a remote host, 2 for localhost (what distcc -j prints)', () => {
    const h = parseDistccHosts('a b:3633 localhost');
    expect(h.slots).toBe(10);
    expect(h.hosts.map((x) => [x.host, x.port, x.limit, x.transport])).toEqual([
      ['a', undefined, 4, 'tcp'],
      ['b', 3633, 4, 'tcp'],
      ['localhost', undefined, 2, 'local'],
    ]);
  });

  it('reads limits, ports, options, ssh and IPv6 forms and ignores --localslots in the sum', () => {
    const h = parseDistccHosts(
      '127.0.0.1:36321/2 localhost/3 --localslots=4 --localslots_cpp=6 --randomize h2/5,lzo,cpp user@box/6 [::1]:4000/3',
    );
    expect(h.slots).toBe(2 + 3 + 5 + 6 + 3);
    expect(h.localSlots).toBe(4);
    expect(h.localSlotsCpp).toBe(6);
    const h2 = h.hosts.find((x) => x.host === 'h2')!;
    expect(h2.options).toEqual(['lzo', 'cpp']);
    expect(h.hosts.find((x) => x.host === 'box')!.transport).toBe('ssh');
    expect(h.hosts.find((x) => x.host === '::1')!.port).toBe(4000);
  });

  it('reads a hosts file with comments, and leaves zeroconf and other wrappers unsized', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-distcc-'));
    writeFileSync(path.join(dir, 'hosts'), '# farm\nbuild1/8\nbuild2/8 # fast\n');
    const h = distccHosts({ DISTCC_DIR: dir });
    expect(h?.slots).toBe(16);
    expect(h?.source).toBe(path.join(dir, 'hosts'));
    expect(distributedSlots('distcc', { DISTCC_HOSTS: 'a/3 +zeroconf' })).toBeUndefined();
    expect(distributedSlots('ccache', { DISTCC_HOSTS: 'a/3' })).toBeUndefined();
    expect(distributedSlots('distcc', { DISTCC_HOSTS: 'a/3 b' })).toBe(7);
  });
});
