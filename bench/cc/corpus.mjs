// Generates a C corpus for the cc benchmark: MODULES × FILES translation units of a few hundred
// lines each, sharing a few project headers and the usual system headers, the way a bundled C
// library (zlib, sqlite's split sources, libpng) is laid out. Deterministic for a given size.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const COMMON_H = `#ifndef CORPUS_COMMON_H
#define CORPUS_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CORPUS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define CORPUS_MAX(a, b) ((a) > (b) ? (a) : (b))
#define CORPUS_ARRAY_LEN(x) (sizeof(x) / sizeof((x)[0]))

static inline uint32_t corpus_rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

static inline uint32_t corpus_mix(uint32_t h, uint32_t k) {
  k *= 0xcc9e2d51u;
  k = corpus_rotl(k, 15);
  k *= 0x1b873593u;
  h ^= k;
  h = corpus_rotl(h, 13);
  return h * 5u + 0xe6546b64u;
}

static inline size_t corpus_strnlen(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}
#endif
`;

export const TYPES_H = `#ifndef CORPUS_TYPES_H
#define CORPUS_TYPES_H
#include "common.h"

typedef struct corpus_buf {
  uint8_t *data;
  size_t len;
  size_t cap;
} corpus_buf;

typedef struct corpus_vec3 {
  double x, y, z;
} corpus_vec3;

typedef struct corpus_matrix {
  double m[4][4];
} corpus_matrix;

typedef enum corpus_token_kind {
  CORPUS_TOK_EOF,
  CORPUS_TOK_NUMBER,
  CORPUS_TOK_IDENT,
  CORPUS_TOK_STRING,
  CORPUS_TOK_PUNCT,
} corpus_token_kind;

typedef struct corpus_token {
  corpus_token_kind kind;
  const char *start;
  size_t len;
  double number;
} corpus_token;

int corpus_buf_reserve(corpus_buf *b, size_t extra);
#endif
`;

export function moduleHeader(m, files) {
  const decls = [];
  for (let f = 0; f < files; f++) {
    decls.push(`uint32_t m${m}_f${f}_checksum(const corpus_buf *b);`);
    decls.push(
      `double m${m}_f${f}_transform(corpus_vec3 *pts, size_t n, const corpus_matrix *mx);`,
    );
    decls.push(`size_t m${m}_f${f}_tokenize(const char *src, corpus_token *out, size_t max);`);
    decls.push(`int m${m}_f${f}_run(int seed);`);
  }
  return `#ifndef CORPUS_MOD${m}_H\n#define CORPUS_MOD${m}_H\n#include "types.h"\n\n${decls.join('\n')}\n#endif\n`;
}

/** One translation unit: hashing, geometry, a tokenizer, sorting and a state machine. */
export function unit(m, f, withPrivate) {
  const p = `m${m}_f${f}`;
  const k = (m * 31 + f * 7) % 17;
  const lines = [];
  lines.push(
    `#include <stdio.h>`,
    `#include <stdlib.h>`,
    `#include <math.h>`,
    `#include <ctype.h>`,
  );
  lines.push(`#include "common.h"`, `#include "types.h"`, `#include "mod${m}.h"`);
  if (withPrivate) lines.push(`#include "private.h"`);
  lines.push('');
  lines.push(`static const uint32_t ${p}_table[16] = {`);
  const table = Array.from(
    { length: 16 },
    (_, i) => `0x${(Math.imul(i + 1, 2654435761 + k) >>> 0).toString(16)}u`,
  );
  lines.push(`  ${table.join(', ')}`);
  lines.push('};', '');
  lines.push(`uint32_t ${p}_checksum(const corpus_buf *b) {`);
  lines.push(`  uint32_t h = ${k + 1}u;`);
  lines.push('  size_t i = 0;');
  lines.push('  for (; i + 4 <= b->len; i += 4) {');
  lines.push('    uint32_t w;');
  lines.push('    memcpy(&w, b->data + i, 4);');
  lines.push(`    h = corpus_mix(h, w ^ ${p}_table[i & 15]);`);
  lines.push('  }');
  lines.push('  for (; i < b->len; i++) h = corpus_mix(h, b->data[i]);');
  lines.push('  h ^= (uint32_t)b->len;');
  lines.push('  h ^= h >> 16;');
  lines.push('  h *= 0x85ebca6bu;');
  lines.push('  h ^= h >> 13;');
  lines.push('  return h;');
  lines.push('}', '');
  lines.push(`static void ${p}_identity(corpus_matrix *mx) {`);
  lines.push('  for (int r = 0; r < 4; r++)');
  lines.push('    for (int c = 0; c < 4; c++) mx->m[r][c] = r == c ? 1.0 : 0.0;');
  lines.push('}', '');
  lines.push(
    `static void ${p}_multiply(const corpus_matrix *a, const corpus_matrix *b, corpus_matrix *out) {`,
  );
  lines.push('  for (int r = 0; r < 4; r++) {');
  lines.push('    for (int c = 0; c < 4; c++) {');
  lines.push('      double s = 0;');
  lines.push('      for (int i = 0; i < 4; i++) s += a->m[r][i] * b->m[i][c];');
  lines.push('      out->m[r][c] = s;');
  lines.push('    }');
  lines.push('  }');
  lines.push('}', '');
  lines.push(`double ${p}_transform(corpus_vec3 *pts, size_t n, const corpus_matrix *mx) {`);
  lines.push('  corpus_matrix rot, tmp;');
  lines.push(`  ${p}_identity(&rot);`);
  lines.push(`  double angle = ${(k + 1) / 10};`);
  lines.push('  rot.m[0][0] = cos(angle);');
  lines.push('  rot.m[0][1] = -sin(angle);');
  lines.push('  rot.m[1][0] = sin(angle);');
  lines.push('  rot.m[1][1] = cos(angle);');
  lines.push(`  ${p}_multiply(mx, &rot, &tmp);`);
  lines.push('  double total = 0;');
  lines.push('  for (size_t i = 0; i < n; i++) {');
  lines.push('    corpus_vec3 v = pts[i];');
  lines.push(
    '    pts[i].x = tmp.m[0][0] * v.x + tmp.m[0][1] * v.y + tmp.m[0][2] * v.z + tmp.m[0][3];',
  );
  lines.push(
    '    pts[i].y = tmp.m[1][0] * v.x + tmp.m[1][1] * v.y + tmp.m[1][2] * v.z + tmp.m[1][3];',
  );
  lines.push(
    '    pts[i].z = tmp.m[2][0] * v.x + tmp.m[2][1] * v.y + tmp.m[2][2] * v.z + tmp.m[2][3];',
  );
  lines.push('    total += sqrt(pts[i].x * pts[i].x + pts[i].y * pts[i].y + pts[i].z * pts[i].z);');
  lines.push('  }');
  lines.push('  return total;');
  lines.push('}', '');
  lines.push(`size_t ${p}_tokenize(const char *src, corpus_token *out, size_t max) {`);
  lines.push('  size_t n = 0;');
  lines.push('  const char *s = src;');
  lines.push('  while (*s && n < max) {');
  lines.push('    if (isspace((unsigned char)*s)) {');
  lines.push('      s++;');
  lines.push('      continue;');
  lines.push('    }');
  lines.push('    corpus_token *t = &out[n++];');
  lines.push('    t->start = s;');
  lines.push('    if (isdigit((unsigned char)*s)) {');
  lines.push('      char *end;');
  lines.push('      t->kind = CORPUS_TOK_NUMBER;');
  lines.push('      t->number = strtod(s, &end);');
  lines.push('      s = end;');
  lines.push("    } else if (isalpha((unsigned char)*s) || *s == '_') {");
  lines.push('      t->kind = CORPUS_TOK_IDENT;');
  lines.push("      while (isalnum((unsigned char)*s) || *s == '_') s++;");
  lines.push("    } else if (*s == '\"') {");
  lines.push('      t->kind = CORPUS_TOK_STRING;');
  lines.push('      s++;');
  lines.push("      while (*s && *s != '\"') {");
  lines.push("        if (*s == '\\\\' && s[1]) s++;");
  lines.push('        s++;');
  lines.push('      }');
  lines.push('      if (*s) s++;');
  lines.push('    } else {');
  lines.push('      t->kind = CORPUS_TOK_PUNCT;');
  lines.push('      s++;');
  lines.push('    }');
  lines.push('    t->len = (size_t)(s - t->start);');
  lines.push('  }');
  lines.push('  if (n < max) out[n].kind = CORPUS_TOK_EOF;');
  lines.push('  return n;');
  lines.push('}', '');
  // A handful of sorting and state-machine helpers, varied per unit.
  for (let v = 0; v < 6; v++) {
    const q = `${p}_v${v}`;
    lines.push(`static int ${q}_cmp(const void *a, const void *b) {`);
    lines.push('  const int x = *(const int *)a, y = *(const int *)b;');
    lines.push(`  return ${v % 2 ? '(y > x) - (y < x)' : '(x > y) - (x < y)'};`);
    lines.push('}', '');
    lines.push(`static int ${q}_sort_and_sum(int *xs, size_t n) {`);
    lines.push(`  qsort(xs, n, sizeof *xs, ${q}_cmp);`);
    lines.push('  int acc = 0;');
    lines.push(`  for (size_t i = 0; i < n; i += ${v + 1}) acc = acc * ${k + v + 3} + xs[i];`);
    lines.push('  return acc;');
    lines.push('}', '');
    lines.push(`static int ${q}_machine(const char *input) {`);
    lines.push('  enum { S_START, S_WORD, S_NUM, S_SPACE } st = S_START;');
    lines.push('  int words = 0, nums = 0;');
    lines.push('  for (const char *c = input; *c; c++) {');
    lines.push('    switch (st) {');
    lines.push('      case S_START:');
    lines.push('      case S_SPACE:');
    lines.push('        if (isalpha((unsigned char)*c)) { st = S_WORD; words++; }');
    lines.push('        else if (isdigit((unsigned char)*c)) { st = S_NUM; nums++; }');
    lines.push('        else st = S_SPACE;');
    lines.push('        break;');
    lines.push('      case S_WORD:');
    lines.push('        if (!isalnum((unsigned char)*c)) st = S_SPACE;');
    lines.push('        break;');
    lines.push('      case S_NUM:');
    lines.push(
      '        if (!isdigit((unsigned char)*c)) st = isalpha((unsigned char)*c) ? S_WORD : S_SPACE;',
    );
    lines.push('        break;');
    lines.push('    }');
    lines.push('  }');
    lines.push(`  return words * ${v + 2} + nums;`);
    lines.push('}', '');
  }
  lines.push(`int ${p}_run(int seed) {`);
  lines.push('  int xs[64];');
  lines.push('  for (int i = 0; i < 64; i++) xs[i] = (seed * 1103515245 + i * 12345) & 0x7fff;');
  lines.push('  char text[128];');
  lines.push(`  snprintf(text, sizeof text, "unit ${m} ${f} seed %d value %d", seed, xs[3]);`);
  lines.push('  corpus_token toks[32];');
  lines.push(`  size_t nt = ${p}_tokenize(text, toks, CORPUS_ARRAY_LEN(toks));`);
  lines.push('  corpus_buf b = { (uint8_t *)text, strlen(text), sizeof text };');
  lines.push(`  int total = (int)(${p}_checksum(&b) & 0xffff) + (int)nt;`);
  for (let v = 0; v < 6; v++) {
    lines.push(`  total += ${p}_v${v}_sort_and_sum(xs, CORPUS_ARRAY_LEN(xs));`);
    lines.push(`  total += ${p}_v${v}_machine(text);`);
  }
  if (withPrivate) lines.push('  total += PRIVATE_BIAS;');
  lines.push('  return total;');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Writes the corpus under `root`; returns the source list (relative) and the touchable header. */
export function writeCorpus(root, { modules = 8, files = 8 } = {}) {
  const inc = path.join(root, 'include');
  mkdirSync(inc, { recursive: true });
  writeFileSync(path.join(inc, 'common.h'), COMMON_H);
  writeFileSync(path.join(inc, 'types.h'), TYPES_H);
  const sources = [];
  let lineCount = 0;
  for (let m = 0; m < modules; m++) {
    writeFileSync(path.join(inc, `mod${m}.h`), moduleHeader(m, files));
    const dir = path.join(root, 'src', `mod${m}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < files; f++) {
      const withPrivate = m === 0 && f === 0;
      const text = unit(m, f, withPrivate);
      lineCount += text.split('\n').length;
      writeFileSync(path.join(dir, `file${f}.c`), text);
      sources.push(`src/mod${m}/file${f}.c`);
    }
  }
  // Included by exactly one unit: touching it must rebuild one object.
  const privateHeader = path.join(root, 'src', 'mod0', 'private.h');
  writeFileSync(privateHeader, '#define PRIVATE_BIAS 1\n');
  return {
    sources,
    privateHeader,
    units: sources.length,
    avgLines: Math.round(lineCount / sources.length),
  };
}

/** build.ninja compiling the same sources with the same flags, plus the same `ar rcsD`. */
export function ninjaFile({ cc, ar, flags, sources, outDir }) {
  const q = (s) => s.replace(/\$/g, '$$$$').replace(/ /g, '$ ').replace(/:/g, '$:');
  const objs = sources.map((s) => `${outDir}/obj/${s}.o`);
  const lines = [
    `builddir = ${outDir}`,
    `cflags = ${flags.map(shq).join(' ')}`,
    'rule cc',
    `  command = ${shq(cc)} $cflags -MD -MF $out.d -c $in -o $out`,
    '  depfile = $out.d',
    '  deps = gcc',
    '  description = CC $in',
    'rule ar',
    `  command = rm -f $out && ${shq(ar)} rcsD $out $in`,
    '  description = AR $out',
    ...sources.map((s, i) => `build ${q(objs[i])}: cc ${q(s)}`),
    `build ${outDir}/libcorpus.a: ar ${objs.map(q).join(' ')}`,
    `default ${outDir}/libcorpus.a`,
  ];
  return `${lines.join('\n')}\n`;
}

/** A GNU Makefile doing the same (depfiles included, so header edits rebuild what they should). */
export function makefile({ cc, ar, flags, sources, outDir }) {
  const objs = sources.map((s) => `${outDir}/obj/${s}.o`);
  return `CC := ${cc}
CFLAGS := ${flags.map(shq).join(' ')}
OBJS := ${objs.join(' ')}

${outDir}/libcorpus.a: $(OBJS)
\trm -f $@ && ${ar} rcsD $@ $^

${outDir}/obj/%.c.o: %.c
\t@mkdir -p $(dir $@)
\t$(CC) $(CFLAGS) -MD -MF $@.d -c $< -o $@

-include $(OBJS:=.d)
`;
}

function shq(s) {
  return /^[A-Za-z0-9_\-+=.,/:@%^]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
