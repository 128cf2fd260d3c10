import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromSystemError, isKilnError, KilnError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import type { KilnConfig } from './define.js';
import { acceptOptionsFrom } from './options.js';
import { validateConfig } from './schema.js';

/**
 * Loads `build.config.{ts,mts,js,mjs}` without a separate compile step (jiti transpiles on the
 * fly). Errors point at the config's own file:line, not at Kiln's internals.
 */
export async function loadConfig(
  file: string,
  options: {
    /** Where jiti's compiled output is kept (the build's outDir); without it, jiti every time. */
    cacheDir?: string | undefined;
  } = {},
): Promise<KilnConfig> {
  let mod: unknown;
  let remember: (() => Promise<void>) | undefined;
  if (options.cacheDir) {
    const cacheDir = options.cacheDir;
    const cache = await import('./cache.js');
    // The plugin options of the last build are accepted without loading the schema library.
    const known = cache.readAcceptedOptions(cacheDir);
    const added = acceptOptionsFrom(known);
    remember = async () => {
      if (added().length > 0) {
        await cache.writeAcceptedOptions(cacheDir, [...known, ...added()]).catch(() => {});
      }
    };
    try {
      mod = await cache.importCachedConfig(file, cacheDir);
    } catch {
      // jiti runs it again below and reports the error exactly as without a cache.
      mod = undefined;
    }
  }
  if (mod === undefined) mod = await loadWithJiti(file, options.cacheDir);
  await remember?.();
  const hasDefault = typeof mod === 'object' && mod !== null && 'default' in mod;
  const value = hasDefault ? (mod as { default: unknown }).default : mod;
  // `export default defineConfig({})` is a config with nothing to do, not a missing export.
  return validateConfig(
    !hasDefault && isEmptyModule(value) ? undefined : value,
    path.basename(file),
  );
}

async function loadWithJiti(file: string, cacheDir: string | undefined): Promise<unknown> {
  // jiti is heavy (~70 ms, and its TypeScript transform more): only loaded when the build is
  // not fresh and the config (or a file it imports) changed since its output was kept.
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { moduleCache: false, interopDefault: true });
  let mod: unknown;
  try {
    mod = await jiti.import(file);
  } catch (error) {
    throw (await importError(error, file)) ?? configLoadError(error, file);
  }
  if (cacheDir) {
    const { writeConfigCache } = await import('./cache.js');
    // Only a faster next load is at stake: a cache that cannot be written is no error.
    await writeConfigCache(file, cacheDir, (source, filename) =>
      jiti.transform({
        source,
        filename,
        ts: /\.[cm]?tsx?$/.test(filename),
        async: true,
        interopDefault: true,
      }),
    ).catch(() => {});
  }
  return mod;
}

function isEmptyModule(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 0 &&
    !('plugins' in value)
  );
}

function configLoadError(error: unknown, file: string): KilnError {
  if (isKilnError(error)) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const syntax = /^(?:ParseError|SyntaxError):\s*(.*?)\s*$/m.exec(err.message);
  const location = findLocation(err, file);
  const where = location ? `${location.file}:${location.line}:${location.column}` : file;
  if (syntax || err.name === 'SyntaxError') {
    return new KilnError(
      'CONFIG_SYNTAX',
      `${where}: syntax error: ${(syntax?.[1] ?? err.message).trim()}`,
      {
        hint: 'Fix the syntax at that line of the build config.',
        cause: error,
      },
    );
  }
  return new KilnError('CONFIG_THREW', `${where}: the build config threw: ${err.message}`, {
    hint: 'The error above was thrown while loading the config; fix it there.',
    details: err.stack,
    cause: error,
  });
}

/**
 * An error thrown by the config's own `build(ctx)` while it ran: reported as the config's error
 * at its file:line, never as an error inside Kiln. Kiln's own errors pass through unchanged.
 */
export function buildScriptError(error: unknown, file: string): unknown {
  if (isKilnError(error)) return error;
  const system = fromSystemError(error);
  if (system) return system;
  if ((error as Error | undefined)?.name === 'AbortError') return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const location = findLocation(err, file);
  const where = location ? `${location.file}:${location.line}:${location.column}` : file;
  return new KilnError('BUILD_SCRIPT_FAILED', `${where}: build(ctx) threw: ${err.message}`, {
    hint: 'The build script in the config threw this error; fix it at that line.',
    details: err.stack,
    cause: error,
  });
}

/** Finds `file:line:col` for the config (or a module it imports) in a message or stack. */
function findLocation(
  err: Error,
  file: string,
): { file: string; line: number; column: number } | undefined {
  // A cached config's frames name it by file URL (see cache.ts): read those as paths.
  const text = `${err.message}\n${err.stack ?? ''}`.replace(
    /file:\/\/[^\s()]+?(?=:\d+:\d+)/g,
    (url) => {
      try {
        return fileURLToPath(url);
      } catch {
        return url;
      }
    },
  );
  const dir = path.dirname(file);
  const re = /((?:\/|[A-Za-z]:\\)[^\s():]+):(\d+):(\d+)/g;
  let fallback: { file: string; line: number; column: number } | undefined;
  for (const m of text.matchAll(re)) {
    const loc = { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
    if (loc.file === file) return { ...loc, file: path.basename(file) };
    if (!fallback && loc.file.startsWith(dir) && !loc.file.includes('node_modules')) {
      fallback = { ...loc, file: path.relative(dir, loc.file) };
    }
  }
  return fallback;
}

/** The entry points a config imports from, and the module holding each one's exports. */
const KILN_ENTRIES: Record<string, () => Promise<Record<string, unknown>>> = {
  kilnjs: () => import('../index.js'),
  'kilnjs/recipes': () => import('../recipes/index.js'),
};

/**
 * A config that cannot find a package, or that imports a name kilnjs does not export (jiti
 * turns that into "(0 , _kilnjs.ccc) is not a function"), gets a message saying so instead of
 * a loader stack.
 */
async function importError(error: unknown, file: string): Promise<KilnError | undefined> {
  if (isKilnError(error) || !(error instanceof Error)) return undefined;
  const base = path.basename(file);
  const notFound = /Cannot find (?:module|package) '([^']+)'/.exec(error.message);
  const code = (error as { code?: unknown }).code;
  if (notFound && (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND')) {
    const spec = notFound[1]!;
    const pkg = packageName(spec);
    // A relative path (the stack says where), or a package missing below an installed one (a
    // broken install, not the config's import): the generic message is the right one.
    if (pkg === undefined || importerIsDependency(error.message)) return undefined;
    return new KilnError(
      'CONFIG_INVALID',
      `${base} imports ${spec}, but ${pkg} is not installed in ${path.dirname(file)}`,
      {
        hint: `Install it as a dev dependency: npm i -D ${pkg}`,
        cause: error,
      },
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const importRe = /import\s*\{([^}]*)\}\s*from\s*['"](kilnjs(?:\/recipes)?)['"]/g;
  for (const m of text.matchAll(importRe)) {
    const names = m[1]!
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '' && !n.startsWith('type '))
      .map((n) => n.split(/\s+as\s+/)[0]!.trim());
    const exports = await KILN_ENTRIES[m[2]!]!();
    // Only a name the error mentions: type-only imports are absent at run time, and harmless.
    const missing = names.find(
      (n) => !(n in exports) && new RegExp(`\\b${n}\\b`).test(error.message),
    );
    if (missing === undefined) continue;
    const line = text.slice(0, m.index).split('\n').length;
    const values = Object.keys(exports).filter((k) => k !== 'default');
    return new KilnError(
      'CONFIG_INVALID',
      `${base}:${line}: ${m[2]} has no export "${missing}"${didYouMean(missing, values)}`,
      {
        hint: `Correct the import; ${m[2]} exports ${values.join(', ')}.`,
        cause: error,
      },
    );
  }
  return undefined;
}

/** `kilnjs` for `kilnjs/recipes`, `@scope/pkg` for `@scope/pkg/x`; undefined for paths. */
function packageName(spec: string): string | undefined {
  if (spec.startsWith('.') || path.isAbsolute(spec) || spec.startsWith('node:')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The module that failed to import, from Node's and jiti's messages, is inside node_modules. */
function importerIsDependency(message: string): boolean {
  const importer =
    /imported from (\S+)/.exec(message)?.[1] ?? /Require stack:\n- (.+)/.exec(message)?.[1];
  return importer?.split(/[\\/]/).includes('node_modules') === true;
}
