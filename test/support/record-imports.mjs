// `node --import <this file>`: appends every module URL the program resolves to the file named
// by KILN_RECORD_IMPORTS, so a test can say which packages a command loaded.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, {
  data: { file: process.env.KILN_RECORD_IMPORTS },
});
