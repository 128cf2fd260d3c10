/**
 * The config as jiti compiled it, kept under the build folder so the next build imports it
 * natively instead of loading jiti (and its TypeScript transform) again. One ES module per file
 * (the config and each local file it imports), in a folder named by the hash of every one of
 * their contents and Kiln's version: an edit to any of them is a new folder, compiled afresh.
 *
 * Each cached module is jiti's CommonJS-style output behind a one-line prelude (so line numbers
 * stay those of the source) and with a `sourceURL` naming the source file, so a stack trace
 * points at the config, as it does when jiti runs it.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { kilnVersion } from '../runner/version.js';
import { hashBytes, isRecord, isStringArray, readStateSync, writeState } from '../state/index.js';
import { collectConfigFiles, resolveLocal } from './imports.js';

const CACHE_DIR = 'config';
const INDEX = 'config-cache.json';
const STATE = {
  kind: 'config-cache',
  version: 1,
  valid: (v: unknown): v is CacheIndex =>
    isRecord(v) && typeof v.key === 'string' && isStringArray(v.files),
};

interface CacheIndex {
  key: string;
  /** The source files, in module order: file i is cached as `<key>/<i>.mjs`; 0 is the config. */
  files: string[];
}

/** What jiti's compiled code expects in scope (the parameters of jiti's module wrapper). */
interface ModuleScope {
  module: { exports: Record<string, unknown> };
  exports: Record<string, unknown>;
  require: NodeJS.Require;
  jitiImport: (spec: string) => Promise<unknown>;
  jitiESMResolve: (spec: string) => string;
}

type NativeImport = (spec: string, options?: ImportCallOptions) => Promise<unknown>;

/** How a cached module finds the loader (a global: its own URL would pin one Kiln build). */
const HOOK = Symbol.for('kilnjs.configModule');

/** The cache key: Kiln's version and each file's path and content. */
function cacheKey(files: readonly string[]): string {
  const parts = files.map((f) => {
    let content: Buffer | string;
    try {
      content = readFileSync(f);
    } catch {
      content = '\0missing';
    }
    return [f, hashBytes(content)];
  });
  return hashBytes(JSON.stringify([kilnVersion(), parts])).slice(0, 24);
}

let loads = 0;

/**
 * The config's module exports from the cache, or undefined when there is no cache for these
 * contents (then jiti loads it, and `writeConfigCache` keeps its output).
 */
export async function importCachedConfig(
  file: string,
  cacheBase: string,
): Promise<Record<string, unknown> | undefined> {
  const dir = path.join(cacheBase, CACHE_DIR);
  const index = readStateSync(path.join(dir, INDEX), STATE);
  if (!index || index.files[0] !== file) return undefined;
  const files = collectConfigFiles(file);
  const key = cacheKey(files);
  if (key !== index.key || !sameSet(files, index.files)) return undefined;
  installHook(index.files);
  // A query per load: each build evaluates the config afresh, as jiti without its module cache.
  const url = `${pathToFileURL(path.join(dir, key, '0.mjs')).href}?load=${++loads}`;
  const mod = (await import(url)) as { default: Record<string, unknown> };
  return mod.default;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((f) => b.includes(f));
}

function installHook(files: readonly string[]): void {
  const g = globalThis as Record<symbol, unknown>;
  g[HOOK] = (selfUrl: string, source: string, nativeImport: NativeImport): ModuleScope => {
    const query = new URL(selfUrl).search;
    const module = { exports: {} as Record<string, unknown> };
    const require = createRequire(source);
    const dir = path.dirname(source);
    return {
      module,
      exports: module.exports,
      require,
      jitiImport: async (spec) => {
        if (spec.startsWith('./') || spec.startsWith('../')) {
          const target = resolveLocal(dir, spec);
          const i = target === undefined ? -1 : files.indexOf(target);
          if (target?.endsWith('.json')) {
            return interop(
              await nativeImport(pathToFileURL(target).href, { with: { type: 'json' } }),
            );
          }
          if (i < 0) throw new Error(`Cannot find module '${spec}' imported from ${source}`);
          return ((await nativeImport(`./${i}.mjs${query}`)) as { default: unknown }).default;
        }
        return interop(await nativeImport(spec));
      },
      jitiESMResolve: (spec) =>
        spec.startsWith('./') || spec.startsWith('../')
          ? pathToFileURL(resolveLocal(dir, spec) ?? path.resolve(dir, spec)).href
          : pathToFileURL(require.resolve(spec)).href,
    };
  };
}

/**
 * A native module namespace as jiti hands it to compiled code: marked as an ES module (so
 * `import x from` reads its default), with a CommonJS module's properties reachable by name.
 */
function interop(ns: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const def = (ns as { default?: unknown }).default;
  if (def !== null && (typeof def === 'object' || typeof def === 'function')) {
    Object.assign(out, def);
  }
  Object.assign(out, ns, { __esModule: true });
  return out;
}

/** A local import of compiled code that the cache could not follow: such a config is not cached. */
const RELATIVE_IMPORT = /\bjitiImport\(\s*(['"])(\.{1,2}\/[^'"]*)\1/g;

/**
 * Keeps jiti's compiled output of the config and its local imports (after jiti loaded them,
 * so its transform is loaded already). Skipped, never an error, when a file cannot be cached
 * faithfully: a `require()`, or an import the loader cannot follow to a collected file.
 */
export async function writeConfigCache(
  file: string,
  cacheBase: string,
  transform: (source: string, filename: string) => string,
): Promise<void> {
  const files = collectConfigFiles(file);
  if (files[0] !== file) return;
  const key = cacheKey(files);
  const dir = path.join(cacheBase, CACHE_DIR);
  const modules: string[] = [];
  for (const f of files) {
    if (f.endsWith('.json')) {
      modules.push('');
      continue;
    }
    const code = transform(readFileSync(f, 'utf8'), f);
    if (/\brequire\s*\(/.test(code)) return;
    for (const m of code.matchAll(RELATIVE_IMPORT)) {
      const target = resolveLocal(path.dirname(f), m[2]!);
      if (!target || !files.includes(target)) return;
    }
    // One line of prelude: jiti's output keeps the source's line numbers, and so does this.
    modules.push(
      `var { module, exports, require, jitiImport, jitiESMResolve } = globalThis[Symbol.for('kilnjs.configModule')](import.meta.url, ${JSON.stringify(f)}, (s, o) => import(s, o)), __filename = ${JSON.stringify(f)}, __dirname = ${JSON.stringify(path.dirname(f))};${code}\nexport default module.exports;\n//# sourceURL=${pathToFileURL(f).href}\n`,
    );
  }
  // Older keys are never read again.
  for (const old of safeList(dir)) {
    if (old !== key && old !== INDEX) rmSync(path.join(dir, old), { recursive: true, force: true });
  }
  await mkdir(path.join(dir, key), { recursive: true });
  await Promise.all(
    modules.map((text, i) =>
      text ? writeFile(path.join(dir, key, `${i}.mjs`), text) : Promise.resolve(),
    ),
  );
  await writeState(path.join(dir, INDEX), STATE, { key, files });
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const ACCEPTED = 'options-accepted.json';
/** The most option sets remembered: a config has a handful; this only bounds a long history. */
const MAX_ACCEPTED = 500;
const ACCEPTED_STATE = {
  kind: 'config-options-accepted',
  version: 1,
  valid: (v: unknown): v is { kilnVersion: string; keys: string[] } =>
    isRecord(v) && typeof v.kilnVersion === 'string' && isStringArray(v.keys),
};

/**
 * Plugin options this Kiln accepted in earlier builds (see `acceptOptionsFrom`); none when
 * they were recorded by another version, whose schemas may differ.
 */
export function readAcceptedOptions(cacheBase: string): string[] {
  const state = readStateSync(path.join(cacheBase, CACHE_DIR, ACCEPTED), ACCEPTED_STATE);
  return state?.kilnVersion === kilnVersion() ? state.keys : [];
}

export async function writeAcceptedOptions(cacheBase: string, keys: string[]): Promise<void> {
  await mkdir(path.join(cacheBase, CACHE_DIR), { recursive: true });
  await writeState(path.join(cacheBase, CACHE_DIR, ACCEPTED), ACCEPTED_STATE, {
    kilnVersion: kilnVersion(),
    keys: keys.slice(-MAX_ACCEPTED),
  });
}
