#!/usr/bin/env node
// A compiler wrapper that records when each compile starts and ends ($TIMING_LOG), holds it
// open a little ($TIMING_SLEEP_MS) so overlaps are visible, then runs the real compiler
// ($TIMING_REAL_CC, default gcc) with the same arguments so outputs are real.
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const args = process.argv.slice(2);
const compiling = args.includes('-c');
const log = (ev) => {
  if (compiling && process.env.TIMING_LOG) {
    appendFileSync(
      process.env.TIMING_LOG,
      // `origin`: when this process was started (before Node's own start-up).
      `${JSON.stringify({ ev, t: performance.timeOrigin + performance.now(), origin: performance.timeOrigin, cwd: process.cwd(), pid: process.pid, src: args[args.indexOf('-c') + 1] })}\n`,
    );
  }
};
log('start');
if (compiling) await sleep(Number(process.env.TIMING_SLEEP_MS ?? 250));
const r = spawnSync(process.env.TIMING_REAL_CC ?? 'gcc', args, { stdio: 'inherit' });
log('end');
process.exit(r.status ?? 1);
