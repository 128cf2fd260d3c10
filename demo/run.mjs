// Loads the demo addon that `node bin/kiln.js build` built from build.config.ts and shows each
// native part answering: the static library (cc), zlib (pkg-config) and the CMake shared library.
import { loadAddon } from 'kilnjs';

const demo = loadAddon('demo', { root: new URL('..', import.meta.url) });

const text = 'Kiln builds native addons';
console.log(`core (static, cc):      add(2, 40) = ${demo.add(2, 40)}; ${demo.greeting()}`);
console.log(`zlib (pkg-config):      zlib ${demo.zlibVersion()}, crc32("${text}") = ${demo.crc32(text).toString(16)}`);
console.log(`zlib round trip:        ${demo.roundTrip(text) === text ? 'ok' : 'MISMATCH'}`);
console.log(`kit (shared, cmake):    scale(7) = ${demo.scale(7)}; ${demo.kitName()}`);
