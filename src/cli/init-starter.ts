import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../state/index.js';

/**
 * The addon name for a package: the last part of its npm name made a C identifier (`@acme/fast-json`
 * → `fast_json`), since it names the `.node` file and the module's init symbol.
 */
export function addonNameFor(packageName: string | undefined, dir: string): string {
  const base = (packageName?.split('/').pop() || path.basename(dir)).replace(/[^A-Za-z0-9_]/g, '_');
  const name = /^[0-9]/.test(base) ? `_${base}` : base;
  return /[A-Za-z0-9]/.test(name) ? name : 'addon';
}

function packageName(root: string): string | undefined {
  try {
    const name = (
      JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: unknown }
    ).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    // No package.json (or not JSON): the folder's name stands in for the package's.
    return undefined;
  }
}

export const STARTER_SOURCE = 'src/addon.c';

function configText(name: string): string {
  return `import { addon, defineConfig } from 'kilnjs';

// \`kiln build\` compiles ${STARTER_SOURCE} into build/Release/${name}.node (add it to "scripts" in package.json).
export default defineConfig({
  plugins: [addon({ name: '${name}', sources: ['${STARTER_SOURCE}'] })],
});
`;
}

function sourceText(name: string): string {
  return `// A Node-API addon: loads in every Node version from 18 on without a rebuild.
#include <node_api.h>

// hello(): returns a greeting string.
static napi_value Hello(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  if (napi_create_string_utf8(env, "hello from ${name}", NAPI_AUTO_LENGTH, &result) != napi_ok) {
    return NULL;
  }
  return result;
}

// Runs when the module is loaded: puts hello() on the exports.
NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "hello", NAPI_AUTO_LENGTH, Hello, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "hello", fn) != napi_ok) {
    return NULL;
  }
  return exports;
}
`;
}

/**
 * Writes the starter of a package with no config: an addon with one C source exporting one
 * function. The config is written (the caller decided it may be); the source only when absent,
 * so an existing src/addon.c is never overwritten. Returns the line to print.
 */
export async function writeAddonStarter(root: string, configFile: string): Promise<string> {
  const name = addonNameFor(packageName(root), root);
  await writeFileAtomic(configFile, configText(name));
  const source = path.join(root, STARTER_SOURCE);
  const wrote = [path.relative(root, configFile)];
  if (!existsSync(source)) {
    await writeFileAtomic(source, sourceText(name));
    wrote.push(STARTER_SOURCE);
  }
  return `Wrote ${wrote.join(' and ')}${wrote.length === 1 ? ` (kept the existing ${STARTER_SOURCE})` : ''}. Run \`kiln build\`, then require('./build/Release/${name}.node').hello()\n`;
}
