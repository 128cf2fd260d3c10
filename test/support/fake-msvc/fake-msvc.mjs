#!/usr/bin/env node
// A recording fake of the MSVC-style tools for argv tests: installed as cl, clang-cl, lib,
// llvm-lib, link, lld-link. Every call appends {name, args} to $FAKE_CC_LOG, then does just
// enough: answers the cl-style probe (/EP), writes /Fo objects and prints /showIncludes lines
// (cl.exe's localised prefix from $FAKE_CL_PREFIX; cl.exe also echoes the source name), writes
// /OUT: archives and links and the /IMPLIB: import library.
// $FAKE_CL_OUTPUT is printed by every compile (a warning); $FAKE_CC_FAIL_IF_ARG fails a call.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const name = path.basename(process.argv[1]).replace(/\.exe$/, '');
const args = process.argv.slice(2);
if (process.env.FAKE_CC_LOG) {
  appendFileSync(process.env.FAKE_CC_LOG, `${JSON.stringify({ name, args })}\n`);
}
if (process.env.FAKE_CC_FAIL_IF_ARG && args.includes(process.env.FAKE_CC_FAIL_IF_ARG)) {
  process.stdout.write(`src\\a.c(1): error C2143: refused ${process.env.FAKE_CC_FAIL_IF_ARG}\n`);
  process.exit(2);
}
const value = (prefix) => {
  const a = args.findLast((x) => x.toUpperCase().startsWith(prefix.toUpperCase()));
  return a === undefined ? undefined : a.slice(prefix.length);
};

if (/^(lib|llvm-lib)$/.test(name)) {
  writeFileSync(value('/OUT:'), '!<arch>\n');
  process.exit(0);
}
if (/^(link|lld-link)$/.test(name)) {
  writeFileSync(value('/OUT:'), 'MZ fake image\n');
  const implib = value('/IMPLIB:');
  if (implib) writeFileSync(implib, '!<arch>\n');
  process.exit(0);
}

// A cl-style compiler.
const clang = name.includes('clang');
const prefix = clang
  ? 'Note: including file:'
  : (process.env.FAKE_CL_PREFIX ?? 'Note: including file:');
if (args.includes('/EP')) {
  const file = args[args.length - 1];
  process.stdout.write(
    `kiln_msc_ver=1939\nkiln_clang=${clang ? '14 . 0 . 6' : '__clang_major__.__clang_minor__.__clang_patchlevel__'}\n`,
  );
  if (readFileSync(file, 'utf8').includes('kiln_show_includes_probe.h')) {
    process.stderr.write(`${prefix} .\\kiln_show_includes_probe.h\n`);
  }
  process.exit(0);
}
const source = value('/Tc') ?? value('/Tp');
const object = value('/Fo');
if (object) writeFileSync(object, 'fake object\n');
if (!clang && source) process.stdout.write(`${path.basename(source)}\n`);
if (args.includes('/showIncludes') && source) {
  const dirs = [
    path.dirname(source),
    ...args.filter((a) => a.startsWith('/I')).map((a) => a.slice(2)),
  ];
  const seen = new Set();
  const walk = (file, depth) => {
    for (const m of readFileSync(file, 'utf8').matchAll(/#include "([^"]+)"/g)) {
      const found = dirs.map((d) => path.join(d, m[1])).find((f) => existsSync(f));
      if (!found || seen.has(found)) continue;
      seen.add(found);
      process.stdout.write(`${prefix}${' '.repeat(depth)}${found}\n`);
      walk(found, depth + 1);
    }
  };
  walk(source, 1);
}
if (process.env.FAKE_CL_OUTPUT) process.stdout.write(`${process.env.FAKE_CL_OUTPUT}\n`);
