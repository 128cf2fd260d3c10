import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { runPkgConfig } from '../../../src/cli/pkg-config/index.js';
import { listPcFiles } from '../../../src/pkgconf/resolver.js';
import { defaultPersonality } from '../../../src/pkgconf/search-path.js';

export const PKGCONF = '/usr/bin/pkgconf';

export interface RunResult {
  stdout: string;
  code: number;
}

/** The real pkgconf, spawned with exactly `env` (nothing inherited from the host). */
export function oracle(args: string[], env: Record<string, string>): RunResult {
  const r = spawnSync(PKGCONF, args, { env, encoding: 'utf8' });
  return { stdout: r.stdout, code: r.status ?? -1 };
}

export async function ours(
  args: string[],
  env: Record<string, string>,
): Promise<RunResult & { stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runPkgConfig(args, {
    env,
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { stdout, stderr, code };
}

/** Module ids of every `.pc` file in this machine's default search dirs. */
export function systemModules(): string[] {
  const p = defaultPersonality({ arch: 'x86_64', os: 'linux', env: 'gnu' });
  const ids = new Set<string>();
  for (const dir of p.defaultDirs) {
    if (!existsSync(dir)) continue;
    for (const f of listPcFiles(dir)) ids.add(f.slice(dir.length + 1, -3));
  }
  return [...ids].sort();
}
