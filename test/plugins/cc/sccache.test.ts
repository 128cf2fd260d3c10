import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { freePort } from '../../support/net.js';
import { kiln } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { copyElsewhere, outputs, reproPackage } from './repro-fixture.js';

interface CacheEvent {
  type: 'cache';
  step: string;
  wrapper: string;
  hits: number;
  misses: number;
}

function cacheEvents(stdout: string): CacheEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string })
    .filter((e): e is CacheEvent => e.type === 'cache');
}

describe('sccache: one cache shared by two checkouts', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-sccache-'));
  const env: Record<string, string> = {
    SCCACHE_DIR: path.join(dir, 'cache'),
    SCCACHE_ERROR_LOG: path.join(dir, 'server.log'),
    SCCACHE_IDLE_TIMEOUT: '0',
    SCCACHE_SERVER_PORT: '',
  };
  const it = itWith('sccache', 'gcc');

  beforeAll(async () => {
    // A server that does not come up (its port taken between freePort and its bind, a busy
    // machine) is started again on another port; the third failure fails the suite with its log.
    env.SCCACHE_CONF = path.join(dir, 'config.toml');
    writeFileSync(env.SCCACHE_CONF, 'server_startup_timeout_ms = 30000\n');
    let last = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      env.SCCACHE_SERVER_PORT = String(await freePort());
      const r = await execa('sccache', ['--start-server'], { env, reject: false });
      if (r.exitCode === 0) return;
      await execa('sccache', ['--stop-server'], { env, reject: false });
      last = `${r.stderr}\n${readFileSync(env.SCCACHE_ERROR_LOG!, { encoding: 'utf8', flag: 'a+' })}`;
    }
    throw new Error(`sccache --start-server failed three times:\n${last}`);
  }, 150_000);
  afterAll(async () => {
    await execa('sccache', ['--stop-server'], { env, reject: false });
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second checkout at another path hits for every unit and gives identical bytes', async () => {
    const a = reproPackage();
    const b = copyElsewhere(a);
    const buildEnv = { ...env, KILN_CC_WRAPPER: 'sccache', CC: 'gcc' };

    const cold = await kiln(a, ['build', '--json'], { env: buildEnv });
    expect(cold.exitCode, cold.all).toBe(0);
    const coldStats = cacheEvents(cold.stdout);
    expect(coldStats.map((e) => e.step).sort()).toEqual(['binding', 'calc']);
    expect(coldStats.every((e) => e.wrapper === 'sccache')).toBe(true);
    expect(coldStats.reduce((n, e) => n + e.misses, 0)).toBe(3);
    expect(coldStats.reduce((n, e) => n + e.hits, 0)).toBe(0);

    const warm = await kiln(b, ['build', '--json'], { env: buildEnv });
    expect(warm.exitCode, warm.all).toBe(0);
    const warmStats = cacheEvents(warm.stdout);
    expect(warmStats.reduce((n, e) => n + e.hits, 0)).toBe(3);
    expect(warmStats.reduce((n, e) => n + e.misses, 0)).toBe(0);

    const fromA = outputs(a);
    const fromB = outputs(b);
    expect(fromA.size).toBeGreaterThanOrEqual(2);
    for (const [file, bytes] of fromA) {
      expect(bytes.equals(fromB.get(file)!), `${file} differs between checkouts`).toBe(true);
    }
  });
});
