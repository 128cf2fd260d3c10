// Kiln's own quick-start build: a Node-API addon over three kinds of native libraries.
//   core  — bundled C sources compiled into a static library (cc plugin)
//   zlib  — a system library found through its .pc file (pkgConfig plugin)
//   kit   — a bundled CMake project that builds a shared library (cmake plugin)
// `npm run demo` builds it and runs demo/run.mjs, which loads build/<Debug|Release>/demo.node.
import { addon, cc, cmake, defineConfig, pkgConfig } from 'kilnjs';

const core = cc({
  name: 'core',
  sources: ['native-fixtures/addon/core/src/*.c'],
  includes: ['native-fixtures/addon/core/include'],
});
const zlib = pkgConfig('zlib');
const kit = cmake({ source: 'native-fixtures/addon/kit', name: 'kit' });

export default defineConfig({
  plugins: [
    addon({
      name: 'demo',
      sources: ['native-fixtures/addon/c/binding.c'],
      includes: ['native-fixtures/addon/core/include'],
      link: [core, zlib, kit],
    }),
  ],
});
