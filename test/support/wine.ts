import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { hasTool } from './tools.js';

/** `wine64` on PATH, or where Debian's wine64 package puts it (it installs no PATH entry). */
export function wine64Path(): string {
  if (hasTool('wine64')) return 'wine64';
  const debian = '/usr/lib/wine/wine64';
  return existsSync(debian) ? debian : 'wine64';
}

/** How a Windows program under wine names a Unix path: drive Z: is the Unix root. */
export function winPath(unixPath: string): string {
  return `Z:${path.resolve(unixPath).replaceAll('/', '\\')}`;
}

/**
 * A fresh, headless wine prefix for one test file: no display, no debug chatter, booted once
 * (booting takes seconds). `run` starts a Windows program in it; `dispose` stops the prefix's
 * wineserver and removes it.
 */
export class WinePrefix {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-wine-'));
  readonly wine = wine64Path();

  env(extra: Record<string, string> = {}): Record<string, string | undefined> {
    return {
      ...process.env,
      WINEPREFIX: this.dir,
      WINEDEBUG: '-all',
      DISPLAY: undefined,
      ...extra,
    };
  }

  async boot(): Promise<void> {
    await execa(this.wine, ['wineboot', '--init'], { env: this.env(), extendEnv: false });
  }

  /** Runs `exe` (with `args`) in `cwd`; never throws on a non-zero exit. */
  async run(
    exe: string,
    args: string[] = [],
    options: { cwd?: string; env?: Record<string, string> } = {},
  ): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const r = await execa(this.wine, [exe, ...args], {
      cwd: options.cwd ?? path.dirname(exe),
      env: this.env(options.env),
      extendEnv: false,
      reject: false,
      timeout: 120_000,
    });
    return { exitCode: r.exitCode ?? 1, stdout: r.stdout.replace(/\r\n/g, '\n'), stderr: r.stderr };
  }

  async dispose(): Promise<void> {
    const server = path.join(path.dirname(this.wine === 'wine64' ? '' : this.wine), 'wineserver');
    await execa(existsSync(server) ? server : 'wineserver', ['-k'], {
      env: this.env(),
      extendEnv: false,
      reject: false,
    });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
