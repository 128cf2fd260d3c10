import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ENGLISH_PREFIX,
  learnPrefix,
  PROBE_HEADER,
  parseShowIncludes,
} from '../../src/toolchain/msvc/show-includes.js';
import { itWith } from '../support/tools.js';

/**
 * What clang 14 in cl mode printed for a source including `outer.h` (which includes `inner.h`)
 * and `inner.h` again, from a folder with a space, with a warning:
 * `clang --driver-mode=cl --target=x86_64-pc-windows-msvc /nologo /W4 /c /showIncludes "/Isub dir" /Fow.obj /Tcw.c`
 * (stdout, then stderr).
 */
const CLANG_CL_CAPTURE = `Note: including file: sub dir/outer.h
Note: including file:  sub dir/inner.h
w.c(3,22): warning: unused variable 'unused' [-Wunused-variable]
int main(void) { int unused; return IN; }
                     ^
1 warning generated.
`;

/** cl.exe 19.x with the German language pack: the source name echo, then localised include lines. */
const CL_GERMAN = `w.c
Hinweis: Einlesen der Datei: C:\\src\\sub dir\\outer.h
Hinweis: Einlesen der Datei:  C:\\src\\sub dir\\inner.h
Hinweis: Einlesen der Datei: C:\\Program Files (x86)\\Windows Kits\\10\\Include\\10.0.22621.0\\ucrt\\stdio.h
C:\\src\\w.c(3): warning C4101: "unused": Unreferenzierte lokale Variable
`;

/** cl.exe with the Japanese language pack. */
const CL_JAPANESE = `w.c
メモ: インクルード ファイル: C:\\src\\sub dir\\outer.h
メモ: インクルード ファイル:  C:\\src\\sub dir\\inner.h
`;

describe('/showIncludes parsing', () => {
  it('reads the headers of real clang-cl output, nested ones by their extra space, and keeps the warning', () => {
    const parsed = parseShowIncludes(CLANG_CL_CAPTURE, ENGLISH_PREFIX, 'w.c');
    expect(parsed.headers).toEqual(['sub dir/outer.h', 'sub dir/inner.h']);
    expect(parsed.output).toBe(
      [
        "w.c(3,22): warning: unused variable 'unused' [-Wunused-variable]",
        'int main(void) { int unused; return IN; }',
        '                     ^',
        '1 warning generated.',
      ].join('\n'),
    );
  });

  it("reads a localised prefix and drops cl.exe's echo of the source name", () => {
    const prefix = 'Hinweis: Einlesen der Datei:';
    const parsed = parseShowIncludes(CL_GERMAN, prefix, 'C:\\src\\w.c');
    expect(parsed.headers).toEqual([
      'C:\\src\\sub dir\\outer.h',
      'C:\\src\\sub dir\\inner.h',
      'C:\\Program Files (x86)\\Windows Kits\\10\\Include\\10.0.22621.0\\ucrt\\stdio.h',
    ]);
    expect(parsed.output).toBe(
      'C:\\src\\w.c(3): warning C4101: "unused": Unreferenzierte lokale Variable',
    );
    // With the English prefix the German lines are not include lines: the prefix must be learnt.
    expect(parseShowIncludes(CL_GERMAN, ENGLISH_PREFIX).headers).toEqual([]);
  });

  it("learns the prefix from the probe header's line by CMake's two-colon rule", () => {
    expect(learnPrefix(`Note: including file: ./${PROBE_HEADER}\n`)).toBe(ENGLISH_PREFIX);
    expect(learnPrefix(`probe.c\nHinweis: Einlesen der Datei: C:\\t\\${PROBE_HEADER}\r\n`)).toBe(
      'Hinweis: Einlesen der Datei:',
    );
    const japanese = CL_JAPANESE.replace('sub dir\\outer.h', PROBE_HEADER);
    expect(learnPrefix(japanese)).toBe('メモ: インクルード ファイル:');
    expect(parseShowIncludes(CL_JAPANESE, 'メモ: インクルード ファイル:', 'w.c')).toEqual({
      headers: ['C:\\src\\sub dir\\outer.h', 'C:\\src\\sub dir\\inner.h'],
      output: '',
    });
    expect(learnPrefix('no include lines\n')).toBeUndefined();
  });

  itWith('clang')('parses what clang in cl mode prints now, and learns its prefix', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-show-includes-'));
    mkdirSync(path.join(dir, 'sub dir'));
    writeFileSync(path.join(dir, 'sub dir', 'outer.h'), '#include "inner.h"\n');
    writeFileSync(path.join(dir, 'sub dir', 'inner.h'), '#pragma once\n#define IN 1\n');
    writeFileSync(path.join(dir, PROBE_HEADER), '\n');
    writeFileSync(
      path.join(dir, 'w.c'),
      `#include "${PROBE_HEADER}"\n#include "outer.h"\n#include "inner.h"\nint w(void) { return IN; }\n`,
    );
    const out = execFileSync(
      'clang',
      [
        '--driver-mode=cl',
        '--target=x86_64-pc-windows-msvc',
        '/nologo',
        '/Zs',
        '/showIncludes',
        '/Isub dir',
        '/Tcw.c',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(learnPrefix(out)).toBe(ENGLISH_PREFIX);
    const parsed = parseShowIncludes(out, ENGLISH_PREFIX, 'w.c');
    expect(parsed.headers.map((h) => path.normalize(h))).toEqual([
      PROBE_HEADER,
      path.join('sub dir', 'outer.h'),
      path.join('sub dir', 'inner.h'),
    ]);
    expect(parsed.output).toBe('');
  });
});
