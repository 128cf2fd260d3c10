#!/usr/bin/env node
// A recording fake toolchain for argv tests (cc-rs's cc-shim, in Node). Installed under many
// names (cc, gcc, clang, aarch64-linux-gnu-gcc, ar, ccache, ...) in a temp dir put first on PATH.
// Every call appends {name, args} as one JSON line to $FAKE_CC_LOG, then does just enough:
// answers the family probe (-E), writes the -o file and the -MF depfile, creates archives.
// $FAKE_CC_FAIL_IF_ARG=<arg> makes it fail when that argument is present.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const name = path.basename(process.argv[1]);
const args = process.argv.slice(2);
if (process.env.FAKE_CC_LOG) {
  appendFileSync(process.env.FAKE_CC_LOG, `${JSON.stringify({ name, args })}\n`);
}
if (process.env.FAKE_CC_FAIL_IF_ARG && args.includes(process.env.FAKE_CC_FAIL_IF_ARG)) {
  process.stderr.write(`fake.c:1:1: error: refused ${process.env.FAKE_CC_FAIL_IF_ARG}\n`);
  process.exit(1);
}
const wrappers = ['ccache', 'sccache', 'distcc'];
if (wrappers.includes(name)) {
  // A wrapper runs what follows; the log above is enough, and the compiler emulation below
  // treats the rest of argv as a compiler call.
  args.shift();
}
if (/(^|-)(ar|llvm-ar|ranlib)$/.test(name)) {
  // ar <modifiers> <archive> <objects...>
  if (args[1]) writeFileSync(args[1], '!<arch>\n');
  process.exit(0);
}
if (args.includes('-E')) {
  const family = process.env.FAKE_CC_FAMILY ?? (name.includes('clang') ? 'clang' : 'gcc');
  process.stdout.write(
    `kiln_family=${family}\nkiln_version=${family === 'gcc' ? '12 . 2 . 0' : '14 . 0 . 6'}\n`,
  );
  process.exit(0);
}
const out = args[args.indexOf('-o') + 1];
if (args.includes('-o') && out) writeFileSync(out, 'fake object\n');
const mf = args.indexOf('-MF');
if (mf >= 0 && out) {
  const src = args[args.indexOf('-c') + 1] ?? '';
  writeFileSync(args[mf + 1], `${out.replaceAll(' ', '\\ ')}: ${src.replaceAll(' ', '\\ ')}\n`);
}
