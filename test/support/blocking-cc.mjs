#!/usr/bin/env node
// A compiler wrapper for lock and signal tests. Each compile (`-c`) appends `start` and `end`
// lines (with its own pid and the pid of the kiln that ran it) to $BLOCK_LOG; while
// $BLOCK_UNTIL is set it waits for that file to exist before compiling, so a test decides when
// a compile may finish. With $BLOCK_IGNORE_TERM it logs `term` on SIGTERM and keeps going, like
// a program that ignores it. Then it runs the real compiler ($BLOCK_REAL_CC, default gcc).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';

const args = process.argv.slice(2);
const compiling = args.includes('-c');
const log = (ev) => {
  if (compiling && process.env.BLOCK_LOG) {
    appendFileSync(
      process.env.BLOCK_LOG,
      `${JSON.stringify({ ev, pid: process.pid, kiln: process.ppid })}\n`,
    );
  }
};
if (process.env.BLOCK_IGNORE_TERM) process.on('SIGTERM', () => log('term'));
log('start');
const until = process.env.BLOCK_UNTIL;
if (compiling && until) {
  while (!existsSync(until)) await new Promise((resolve) => setTimeout(resolve, 20));
}
const r = spawnSync(process.env.BLOCK_REAL_CC ?? 'gcc', args, { stdio: 'inherit' });
log('end');
process.exit(r.status ?? 1);
