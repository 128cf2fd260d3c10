import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KilnError } from '../errors.js';

/** One entry of a distcc host list. */
export interface DistccHost {
  /** As written, without options (`build1:3633/8`). */
  spec: string;
  host: string;
  port?: number | undefined;
  /** Concurrent compiles this host takes (distcc's defaults: 4, or 2 for localhost). */
  limit: number;
  local: boolean;
  /** `,lzo`, `,cpp` (pump mode), `,auth`, … */
  options: string[];
  transport: 'tcp' | 'ssh' | 'local';
}

export interface DistccHosts {
  hosts: DistccHost[];
  /** Where the list came from: `DISTCC_HOSTS` or a hosts file. */
  source: string;
  /** `--localslots=N`: compiles distcc runs locally when it cannot send them (not counted). */
  localSlots?: number | undefined;
  localSlotsCpp?: number | undefined;
  /** `+zeroconf`: the hosts are discovered at run time, so the capacity is not known here. */
  zeroconf: boolean;
  /** The sum of every host's limit: what `distcc -j` prints. */
  slots: number;
}

const REMOTE_DEFAULT = 4;
const LOCAL_DEFAULT = 2;

/**
 * Parses a distcc host specification (the `DISTCC_HOSTS` grammar of distcc(1)): whitespace-
 * separated `localhost[/N]`, `HOST[:PORT][/N][,OPT…]`, `[USER]@HOST[/N]` (ssh), `+zeroconf`,
 * and the `--randomize`, `--localslots=N`, `--localslots_cpp=N` options; `#` starts a comment.
 */
export function parseDistccHosts(text: string, source = 'DISTCC_HOSTS'): DistccHosts {
  const result: DistccHosts = { hosts: [], source, zeroconf: false, slots: 0 };
  const words = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(' ')
    .split(/\s+/)
    .filter(Boolean);
  for (const word of words) {
    const option = /^--(localslots|localslots_cpp)=(\d+)$/.exec(word);
    if (option) {
      if (option[1] === 'localslots') result.localSlots = Number(option[2]);
      else result.localSlotsCpp = Number(option[2]);
      continue;
    }
    if (word.startsWith('--')) continue; // --randomize and future options: no capacity.
    if (word === '+zeroconf') {
      result.zeroconf = true;
      continue;
    }
    const [main = '', ...options] = word.split(',');
    const slash = /\/(\d+)$/.exec(main);
    const address = slash ? main.slice(0, slash.index) : main;
    let host = address;
    let port: number | undefined;
    let transport: DistccHost['transport'] = 'tcp';
    if (address.includes('@')) {
      transport = 'ssh';
      host = address.slice(address.indexOf('@') + 1);
    } else {
      // `[::1]:3632` (IPv6 in brackets) or `host:3632`.
      const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(address) ?? /^([^:]+)(?::(\d+))?$/.exec(address);
      if (m) {
        host = m[1]!;
        if (m[2]) port = Number(m[2]);
      }
    }
    const local = address === 'localhost';
    if (local) transport = 'local';
    const limit = slash ? Number(slash[1]) : local ? LOCAL_DEFAULT : REMOTE_DEFAULT;
    result.hosts.push({ spec: main, host, port, limit, local, options, transport });
    result.slots += limit;
  }
  return result;
}

/**
 * The host list distcc itself would use: `DISTCC_HOSTS`, else `$DISTCC_DIR/hosts` (default
 * `~/.distcc/hosts`), else the system file. Undefined when there is none.
 */
export function distccHosts(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DistccHosts | undefined {
  const fromEnv = env.DISTCC_HOSTS;
  if (fromEnv !== undefined) return parseDistccHosts(fromEnv);
  const dir = env.DISTCC_DIR ?? path.join(env.HOME ?? os.homedir(), '.distcc');
  for (const file of [
    path.join(dir, 'hosts'),
    '/etc/distcc/hosts',
    '/usr/local/etc/distcc/hosts',
  ]) {
    try {
      return parseDistccHosts(readFileSync(file, 'utf8'), file);
    } catch {
      // Not there: distcc tries the next one too.
    }
  }
  return undefined;
}

/** Wrappers that send compiles to other machines, whose slots are not the local cores. */
const DISTRIBUTING = new Set(['distcc', 'icecc']);

/**
 * How many compiles to run at once through `wrapper`: `KILN_REMOTE_JOBS` when set (the only
 * source for icecream, whose capacity lives in its scheduler and is told only over the network
 * protocol its monitors speak), else distcc's host slots. Undefined when not known (no list,
 * zeroconf, a wrapper that does not distribute): the caller keeps its local pool then.
 */
export function distributedSlots(
  wrapper: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number | undefined {
  if (!wrapper || !DISTRIBUTING.has(wrapper)) return undefined;
  const explicit = remoteJobs(env);
  if (explicit !== undefined || wrapper !== 'distcc') return explicit;
  const hosts = distccHosts(env);
  if (!hosts || hosts.zeroconf || hosts.slots === 0) return undefined;
  return hosts.slots;
}

/** `KILN_REMOTE_JOBS`: the farm's compile slots, a whole number ≥ 1 (unset or empty: none). */
export function remoteJobs(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number | undefined {
  const raw = env.KILN_REMOTE_JOBS?.trim();
  if (!raw) return undefined;
  if (!/^[1-9][0-9]*$/.test(raw)) {
    throw new KilnError(
      'USAGE',
      `KILN_REMOTE_JOBS must be a whole number of compile slots (1 or more), not ${JSON.stringify(raw)}`,
      {
        hint: "Set it to the farm's total job slots (icemon shows each node's), e.g. KILN_REMOTE_JOBS=40, or unset it.",
      },
    );
  }
  return Number(raw);
}
