// `node --import <this file>`: appends every module URL the program resolves to the file named
// by KILN_RECORD_IMPORTS, so a test can say which packages a command loaded. Modules loaded
// with require() (the CommonJS entry, the bundled schema library) do not pass the resolve hook:
// the CommonJS cache is appended when the process exits, and so is every public built-in the
// process loaded, however it was loaded (`node:child_process`).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.KILN_RECORD_IMPORTS;
register('./record-imports-hooks.mjs', import.meta.url, { data: { file } });
if (file) {
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    const builtins = process.moduleLoadList
      .map((m) => /^NativeModule ((?!internal\/)[\w/]+)$/.exec(m)?.[1])
      .filter((name) => name !== undefined)
      .map((name) => `node:${name}`);
    const urls = [...Object.keys(cache).map((f) => pathToFileURL(f).href), ...builtins];
    if (urls.length > 0) appendFileSync(file, `${urls.join('\n')}\n`);
  });
}
