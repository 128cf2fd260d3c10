import path from 'node:path';
import { fromSystemError, isKilnError, KilnError } from '../errors.js';
import type { KilnConfig } from './define.js';
import { validateConfig } from './schema.js';

/**
 * Loads `build.config.{ts,mts,js,mjs}` without a separate compile step (jiti transpiles on the
 * fly). Errors point at the config's own file:line, not at Kiln's internals.
 */
export async function loadConfig(file: string): Promise<KilnConfig> {
  // jiti is heavy (~70 ms); it is only loaded when the build is not fresh.
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { moduleCache: false, interopDefault: true });
  let mod: unknown;
  try {
    mod = await jiti.import(file);
  } catch (error) {
    throw configLoadError(error, file);
  }
  const hasDefault = typeof mod === 'object' && mod !== null && 'default' in mod;
  const value = hasDefault ? (mod as { default: unknown }).default : mod;
  // `export default defineConfig({})` is a config with nothing to do, not a missing export.
  return validateConfig(
    !hasDefault && isEmptyModule(value) ? undefined : value,
    path.basename(file),
  );
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
  const text = `${err.message}\n${err.stack ?? ''}`;
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
