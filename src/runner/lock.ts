import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Lock {
  release(): Promise<void>;
}

/**
 * One build at a time per outDir. The lock file holds the owner's pid; a lock whose owner is
 * gone (killed with SIGKILL, machine rebooted) is taken over instead of blocking forever.
 */
export async function acquireLock(
  outDir: string,
  onWait: (message: string) => void,
  signal?: AbortSignal,
): Promise<Lock> {
  const file = path.join(outDir, '.kiln', 'lock');
  await mkdir(path.dirname(file), { recursive: true });
  let told = false;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isFinite(owner) && owner > 0 && !alive(owner)) {
      await rm(file, { force: true });
      continue;
    }
    if (!told) {
      onWait(
        `Blocking: waiting for another kiln build${Number.isFinite(owner) ? ` (pid ${owner})` : ''} on ${outDir}`,
      );
      told = true;
    }
    await sleep(50, undefined, signal ? { signal } : undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
