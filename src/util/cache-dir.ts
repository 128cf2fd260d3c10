import os from 'node:os';
import path from 'node:path';

/**
 * Kiln's per-user cache folder, for what is worth remembering outside any package (what a tool
 * answered `kiln doctor`): `KILN_CACHE_DIR`, else the platform's cache folder
 * (`$XDG_CACHE_HOME/kiln` or `~/.cache/kiln`; `~/Library/Caches/kiln` on macOS;
 * `%LOCALAPPDATA%\kiln\Cache` on Windows). Undefined when there is no home to put it in.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KILN_CACHE_DIR) return path.resolve(env.KILN_CACHE_DIR);
  // The XDG spec: a relative value is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'kiln');
  if (process.platform === 'win32' && env.LOCALAPPDATA) {
    return path.join(env.LOCALAPPDATA, 'kiln', 'Cache');
  }
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  if (!home) return undefined;
  return process.platform === 'darwin'
    ? path.join(home, 'Library', 'Caches', 'kiln')
    : path.join(home, '.cache', 'kiln');
}
