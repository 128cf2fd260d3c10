// A build script in plain JavaScript, run through ctx.exec: it compiles and archives the
// fixture library with the system compiler, then reports the result with kiln: lines.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const [src, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const obj = path.join(out, 'greet.o');
const lib = path.join(out, 'libgreet.a');
execFileSync('cc', ['-c', '-fPIC', `-I${path.join(src, 'include')}`, path.join(src, 'greet.c'), '-o', obj]);
execFileSync('ar', ['rcsD', lib, obj]);
console.log(`kiln:include=${path.join(src, 'include')}`);
console.log(`kiln:link-search=native=${out}`);
console.log('kiln:link-lib=static=greet');
console.log('kiln:define=GREET_FROM_MANIFEST');
console.log(`kiln:rerun-if-changed=${path.join(src, 'greet.c')}`);
console.log('kiln:metadata=greeting=hello');
