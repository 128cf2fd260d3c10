import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeFile } from '../util/fs.js';
import { joinPath } from '../util/paths.js';
import { pidExists } from '../util/process.js';

/**
 * Process identity and process groups. A pid alone does not name a process: pids are reused,
 * so a lock or a record that names a pid also stores the process's start time where the
 * platform tells it (Linux), and nothing is killed whose start time does not match.
 */

/** Children get their own process group on POSIX; Windows has no groups (and `detached` opens a console). */
export const USE_PROCESS_GROUPS = process.platform !== 'win32';

interface ProcStat {
  state: string;
  pgrp: number;
  start: string;
}

/** /proc/<pid>/stat, Linux only. The command name (field 2) is parenthesised and may hold spaces or ')'. */
function procStat(pid: number): ProcStat | undefined {
  if (process.platform !== 'linux') return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // After ")" come fields 3 (state), 4 (ppid), 5 (pgrp) ... 22 (starttime, clock ticks since boot).
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, , pgrp] = rest;
  const start = rest[19];
  if (!state || !pgrp || !start) return undefined;
  return { state, pgrp: Number(pgrp), start };
}

/** When the process started (Linux: clock ticks since boot), or undefined where unknown. */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.start;
}

let ownStart: string | undefined | null = null;
/** This process's start time, read once. */
export function ownStartTime(): string | undefined {
  if (ownStart === null) ownStart = processStartTime(process.pid);
  return ownStart;
}

/** True while `pid` runs and, when both are known, started at `start` (so a reused pid is not it). */
export function isRunning(pid: number, start?: string): boolean {
  if (!pidExists(pid)) return false;
  const stat = procStat(pid);
  if (!stat) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return start === undefined || stat.start === start;
}

/** Sends `sig` to every process of group `pgid`; false when the group is gone. */
export function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * The live (non-zombie) members of group `pgid`. On Linux from /proc, because a group of
 * zombies still accepts signals; elsewhere a probe signal is all there is.
 */
function groupMembers(pgid: number): ProcStat[] | boolean {
  if (process.platform !== 'linux') return signalGroup(pgid, 0);
  if (!signalGroup(pgid, 0)) return [];
  const members: ProcStat[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(stat);
  }
  return members;
}

export function groupAlive(pgid: number): boolean {
  const members = groupMembers(pgid);
  return typeof members === 'boolean' ? members : members.length > 0;
}

/** Waits (polling) until group `pgid` has no live member, at most `ms`; true when it is gone. */
export async function waitGroupGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Stops a child's group: SIGTERM, then SIGKILL for whatever is left after `graceMs` (a compiler
 * driver that exits on SIGTERM can leave its cc1 behind; a program may ignore SIGTERM).
 */
export async function stopGroup(
  pgid: number,
  leaderExited: Promise<unknown>,
  graceMs: number,
): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  await Promise.race([leaderExited, sleep(graceMs)]);
  if (await waitGroupGone(pgid, Math.max(0, deadline - Date.now()))) return;
  signalGroup(pgid, 'SIGKILL');
  // Delivery is asynchronous: return once nothing of the group can write any more.
  await waitGroupGone(pgid, graceMs);
}

/**
 * The child process groups of the build holding an outDir's lock, one small file per group in
 * `<outDir>/.kiln/children/` (its name the group id, its content the leader's start time and
 * the pid and start time of the kiln that started it). A
 * build killed with SIGKILL cannot stop its compilers; the next build that takes the lock reads
 * these records and stops them before it writes the same objects.
 */
export interface ChildRegistry {
  /** Records a child's group; called right after spawn. */
  add(pgid: number): void;
  /** Forgets it once the child has exited. */
  remove(pgid: number): void;
}

export function childRegistry(dir: string): ChildRegistry {
  let made = false;
  return {
    add(pgid) {
      // Best effort: the record only serves recovery after a crash, and the build itself
      // reports a broken outDir soon enough; a failed write must not orphan the running child.
      try {
        if (!made) mkdirSync(dir, { recursive: true });
        made = true;
        const owner = `${process.pid} ${ownStartTime() ?? ''}`;
        writeFileSync(joinPath(dir, String(pgid)), `${processStartTime(pgid) ?? ''} ${owner}\n`);
      } catch {}
    },
    remove(pgid) {
      removeFile(joinPath(dir, String(pgid)));
    },
  };
}

/**
 * Stops the groups recorded in `dir` by builds that are no longer running, then forgets them;
 * called by the lock's new holder. A group is
 * killed only when it is verifiably the recorded one: its leader has the recorded start time,
 * or (leader gone) every live member started after it. Returns the groups it stopped.
 */
export async function stopRecordedGroups(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stopped: number[] = [];
  for (const name of names) {
    const pgid = Number(name);
    if (!/^\d+$/.test(name) || pgid <= 1) {
      rmSync(joinPath(dir, name), { force: true, recursive: true });
      continue;
    }
    let record: string[] = [];
    try {
      record = readFileSync(joinPath(dir, name), 'utf8').trimEnd().split(' ');
    } catch {}
    const [start = '', owner, ownerStart] = record;
    // The lock file was deleted by hand while its build still runs: its programs are not orphans.
    if (owner && isRunning(Number(owner), ownerStart || undefined)) continue;
    if (isRecordedGroup(pgid, start) && signalGroup(pgid, 'SIGKILL')) {
      stopped.push(pgid);
      // SIGKILL is delivered asynchronously: wait until nothing of it can write any more.
      await waitGroupGone(pgid, 5000);
    }
    removeFile(joinPath(dir, name));
  }
  return stopped;
}

function isRecordedGroup(pgid: number, start: string): boolean {
  if (process.platform !== 'linux') return groupAlive(pgid);
  const members = groupMembers(pgid);
  if (typeof members === 'boolean' || members.length === 0) return false;
  // An unverifiable record (written by a build killed mid-write) is left alone.
  if (!start) return false;
  const leader = procStat(pgid);
  if (leader && leader.pgrp === pgid && leader.state !== 'Z' && leader.state !== 'X') {
    return leader.start === start;
  }
  // The leader exited but members remain: the group id cannot have been reused while they live.
  return members.every((m) => BigInt(m.start) >= BigInt(start));
}
