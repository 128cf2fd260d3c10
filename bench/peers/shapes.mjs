// Generated stand-ins for the peer benchmarks: a C library laid out like zstd's `lib/` (31
// translation units of zstd's sizes, one of them GNU assembly, zstd-style includes) and an
// addon over one amalgamation-style C file of about 8 MB plus four C++ files. The code is the cc
// corpus's (hashing, geometry, tokenizers, sorting), so the compilers do real work.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMMON_H, TYPES_H, unit } from '../cc/corpus.mjs';

/** zstd 1.5's lib/ files and their approximate sizes in lines (xxhash.c compiles xxhash.h). */
export const ZSTD_SHAPE = [
  ['common/debug.c', 30],
  ['common/entropy_common.c', 340],
  ['common/error_private.c', 60],
  ['common/fse_decompress.c', 310],
  ['common/pool.c', 370],
  ['common/threading.c', 190],
  ['common/xxhash.c', 5000],
  ['common/zstd_common.c', 50],
  ['compress/fse_compress.c', 620],
  ['compress/hist.c', 190],
  ['compress/huf_compress.c', 1460],
  ['compress/zstd_compress.c', 7200],
  ['compress/zstd_compress_literals.c', 240],
  ['compress/zstd_compress_sequences.c', 440],
  ['compress/zstd_compress_superblock.c', 690],
  ['compress/zstd_double_fast.c', 770],
  ['compress/zstd_fast.c', 970],
  ['compress/zstd_lazy.c', 2200],
  ['compress/zstd_ldm.c', 720],
  ['compress/zstd_opt.c', 1580],
  ['compress/zstd_preSplit.c', 240],
  ['compress/zstdmt_compress.c', 1880],
  ['decompress/huf_decompress.c', 1940],
  ['decompress/zstd_ddict.c', 240],
  ['decompress/zstd_decompress.c', 2400],
  ['decompress/zstd_decompress_block.c', 2200],
  ['dictBuilder/cover.c', 1260],
  ['dictBuilder/divsufsort.c', 1900],
  ['dictBuilder/fastcover.c', 760],
  ['dictBuilder/zdict.c', 1130],
];

/** A unit's body without its own #include lines (the caller writes the includes). */
function body(m, f) {
  return unit(m, f, false)
    .split('\n')
    .filter((l) => !l.startsWith('#include'))
    .join('\n');
}

const UNIT_LINES = unit(0, 0, false).split('\n').length;

/** `lines` worth of units (at least one), numbered from `m` so no two files define a symbol twice. */
function bodyOfSize(m, lines) {
  const parts = [];
  for (let f = 0; f * UNIT_LINES < lines || f === 0; f++) parts.push(body(m, f));
  return parts.join('\n');
}

const AMD64_S = `/* The Huffman decoder loop's stand-in: x86-64 System V, GNU assembler, preprocessed. */
#include "../common/portability_macros.h"
#if defined(__x86_64__) && !defined(ZSTD_DISABLE_ASM)
.text
${Array.from(
  { length: 24 },
  (_, i) => `.globl HUF_decompress4X${i}_usingDTable_internal_fast_asm_loop
.type HUF_decompress4X${i}_usingDTable_internal_fast_asm_loop, @function
HUF_decompress4X${i}_usingDTable_internal_fast_asm_loop:
  push %rbx
  push %rbp
  mov %rdi, %rax
  xor %ecx, %ecx
1:
  mov (%rax,%rcx,8), %rbx
  shlx %rcx, %rbx, %rbp
  add %rbp, %rbx
  inc %rcx
  cmp $${16 + i}, %rcx
  jb 1b
  mov %rbx, %rax
  pop %rbp
  pop %rbx
  ret
.size HUF_decompress4X${i}_usingDTable_internal_fast_asm_loop, .-HUF_decompress4X${i}_usingDTable_internal_fast_asm_loop`,
).join('\n')}
#endif
#if defined(__ELF__)
.section .note.GNU-stack,"",%progbits
#endif
`;

/**
 * Writes the zstd-shaped library under `root/lib`. Returns its sources (relative to root) and a
 * header included by exactly two units (the one-header benchmark touches it).
 */
export function writeZstdShape(root) {
  const lib = path.join(root, 'lib');
  for (const d of ['common', 'compress', 'decompress', 'dictBuilder'])
    mkdirSync(path.join(lib, d), { recursive: true });
  const w = (rel, text) => writeFileSync(path.join(lib, rel), text);
  w(
    'zstd.h',
    '#ifndef ZSTD_H\n#define ZSTD_H\n#include <stddef.h>\n#define ZSTD_VERSION_MAJOR 1\n#endif\n',
  );
  w('common/common.h', COMMON_H);
  w('common/types.h', TYPES_H);
  w(
    'common/portability_macros.h',
    '#ifndef ZSTD_PORTABILITY_MACROS_H\n#define ZSTD_PORTABILITY_MACROS_H\n#define ZSTD_ASM_SUPPORTED 1\n#endif\n',
  );
  w(
    'common/mem.h',
    '#ifndef MEM_H\n#define MEM_H\n#include <stdint.h>\n#include <string.h>\n#include "portability_macros.h"\n#endif\n',
  );
  w(
    'common/zstd_internal.h',
    '#ifndef ZSTD_INTERNAL_H\n#define ZSTD_INTERNAL_H\n#include "mem.h"\n#include "common.h"\n#include "types.h"\n#include "../zstd.h"\n#endif\n',
  );
  w(
    'compress/zstd_compress_internal.h',
    '#ifndef ZSTD_COMPRESS_H\n#define ZSTD_COMPRESS_H\n#include "../common/zstd_internal.h"\n#endif\n',
  );
  w(
    'decompress/zstd_decompress_internal.h',
    '#ifndef ZSTD_DECOMPRESS_INTERNAL_H\n#define ZSTD_DECOMPRESS_INTERNAL_H\n#include "../common/zstd_internal.h"\n#endif\n',
  );
  const touched = path.join(lib, 'decompress', 'zstd_ddict.h');
  w(
    'decompress/zstd_ddict.h',
    '#ifndef ZSTD_DDICT_H\n#define ZSTD_DDICT_H\n#define ZSTD_DDICT_BIAS 1\n#endif\n',
  );
  const sources = [];
  for (const [i, [rel, lines]] of ZSTD_SHAPE.entries()) {
    const dir = rel.split('/')[0];
    const includes = [
      '#include <stdio.h>',
      '#include <stdlib.h>',
      '#include <math.h>',
      '#include <ctype.h>',
      dir === 'compress'
        ? '#include "zstd_compress_internal.h"'
        : dir === 'decompress'
          ? '#include "zstd_decompress_internal.h"'
          : '#include "zstd_internal.h"',
      ...(rel === 'decompress/zstd_ddict.c' || rel === 'decompress/zstd_decompress.c'
        ? ['#include "zstd_ddict.h"']
        : []),
    ];
    w(rel, `${includes.join('\n')}\n\n${bodyOfSize(i, lines)}\n`);
    sources.push(`lib/${rel}`);
  }
  w('decompress/huf_decompress_amd64.S', AMD64_S);
  sources.push('lib/decompress/huf_decompress_amd64.S');
  return { sources, touched, units: sources.length };
}

/**
 * The addon's sources: one amalgamation of about `bytes` bytes (C) and four C++ files. Like a
 * real amalgamation (sqlite3.c is about a quarter comments), most of its bytes are commentary
 * and data tables; one module in six carries a full unit of code, so the file compiles in tens
 * of seconds rather than minutes.
 */
export function writeAmalgamationAddon(root, bytes = 8 << 20) {
  mkdirSync(path.join(root, 'src'), { recursive: true });
  const parts = [
    '/* Amalgamation: every module of the library in one translation unit. */',
    '#include <stdio.h>\n#include <stdlib.h>\n#include <math.h>\n#include <ctype.h>',
    COMMON_H,
    // types.h includes common.h, which an amalgamation has inlined just above.
    TYPES_H.replace('#include "common.h"\n', ''),
  ];
  const doc = (m) =>
    `/*\n${Array.from({ length: 40 }, (_, l) => `** Module ${m}, note ${l}: the routines below keep the buffer invariants described in the header; callers hold the lock.`).join('\n')}\n*/`;
  const table = (m) =>
    `static const uint32_t module${m}_table[96] = {\n${Array.from({ length: 12 }, (_, r) => `  ${Array.from({ length: 8 }, (_, c) => `0x${(Math.imul(m * 96 + r * 8 + c + 1, 2654435761) >>> 0).toString(16).padStart(8, '0')}u`).join(', ')},`).join('\n')}\n};\nuint32_t module${m}_lookup(size_t i) { return module${m}_table[i % 96] ^ (uint32_t)i; }`;
  let size = parts.join('\n').length;
  const withCode = [];
  let m = 0;
  for (; size < bytes; m++) {
    const code = m % 6 === 0;
    if (code) withCode.push(m);
    const text = `/* ---- module ${m} ---- */\n${doc(m)}\n${table(m)}\n${code ? body(m, 0) : ''}`;
    parts.push(text);
    size += text.length + 1;
  }
  parts.push(
    `int amalgamation_run(int seed) {\n  int t = 0;\n${withCode.map((i) => `  t += m${i}_f0_run(seed + ${i});`).join('\n')}\n${Array.from({ length: m }, (_, i) => `  t += (int)module${i}_lookup((size_t)seed);`).join('\n')}\n  return t;\n}\n`,
  );
  writeFileSync(path.join(root, 'src', 'amalgamation.c'), parts.join('\n'));
  const cxx = (name, n) => `#include <napi.h>
#include <map>
#include <string>
#include <vector>
#include <algorithm>
namespace ${name} {
${Array.from(
  { length: n },
  (_, i) => `Napi::Value Fn${i}(const Napi::CallbackInfo& info) {
  std::vector<std::string> words;
  std::map<std::string, int> counts;
  for (int k = 0; k < ${8 + i}; k++) words.push_back(std::to_string(k * ${i + 3}));
  for (auto& w : words) counts[w] += static_cast<int>(w.size());
  std::sort(words.begin(), words.end());
  return Napi::Number::New(info.Env(), static_cast<double>(counts.size() + words.front().size()));
}`,
).join('\n')}
void Register(Napi::Env env, Napi::Object exports) {
${Array.from({ length: n }, (_, i) => `  exports.Set("${name}${i}", Napi::Function::New(env, Fn${i}));`).join('\n')}
}
}  // namespace ${name}
`;
  for (const name of ['strings', 'tables', 'codec']) {
    writeFileSync(path.join(root, 'src', `${name}.cc`), cxx(name, 12));
  }
  writeFileSync(
    path.join(root, 'src', 'binding.cc'),
    `#include <napi.h>
extern "C" int amalgamation_run(int seed);
namespace strings { void Register(Napi::Env, Napi::Object); }
namespace tables { void Register(Napi::Env, Napi::Object); }
namespace codec { void Register(Napi::Env, Napi::Object); }
static Napi::Value Run(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), amalgamation_run(info[0].As<Napi::Number>().Int32Value()));
}
static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  strings::Register(env, exports);
  tables::Register(env, exports);
  codec::Register(env, exports);
  exports.Set("run", Napi::Function::New(env, Run));
  return exports;
}
NODE_API_MODULE(peer, Init)
`,
  );
  return {
    sources: [
      'src/amalgamation.c',
      'src/strings.cc',
      'src/tables.cc',
      'src/codec.cc',
      'src/binding.cc',
    ],
    modules: m,
  };
}
