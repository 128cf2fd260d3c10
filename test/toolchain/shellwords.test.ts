import { describe, expect, it } from 'vitest';
import { isKilnError } from '../../src/errors.js';
import { shellJoin, splitShellWords } from '../../src/toolchain/shellwords.js';

describe('splitShellWords', () => {
  it.each([
    ['gcc', ['gcc']],
    ['ccache gcc -m64', ['ccache', 'gcc', '-m64']],
    ['  gcc   -O2\t-g ', ['gcc', '-O2', '-g']],
    [`'/opt/my tools/gcc' -DX`, ['/opt/my tools/gcc', '-DX']],
    [`"/opt/my tools/gcc" -DNAME="a b"`, ['/opt/my tools/gcc', '-DNAME=a b']],
    [`-DQ='"quoted"'`, ['-DQ="quoted"']],
    [`-DA=\\"x\\"`, ['-DA="x"']],
    [`a\\ b c`, ['a b', 'c']],
    [`"$(rm -rf /)" '$HOME'`, ['$(rm -rf /)', '$HOME']],
    [`''`, ['']],
    [`-I"dir with space"/inc`, ['-Idir with space/inc']],
    ['', []],
  ])('splits %s', (input, expected) => {
    expect(splitShellWords(input, 'CC')).toEqual(expected);
  });

  it('names the variable on an unterminated quote', () => {
    try {
      splitShellWords(`gcc "-DX`, 'CFLAGS_x86_64_unknown_linux_gnu');
      expect.unreachable();
    } catch (err) {
      expect(isKilnError(err) && err.code).toBe('CONFIG_INVALID');
      expect((err as Error).message).toContain('CFLAGS_x86_64_unknown_linux_gnu');
    }
  });

  it('round-trips through shellJoin for awkward arguments', () => {
    const args = ['gcc', "it's", 'a b', '$(x)', 'naïve.c', '"q"', ''];
    expect(splitShellWords(shellJoin(args), 'x')).toEqual(args);
  });
});
