#!/usr/bin/env node
// A tool wrapper that holds a run at a gate, so a test can act while a compile or an archive
// is in progress without guessing with sleeps. When the command line mentions $GATE_MATCH it
// writes its pid to $GATE_DIR/started (then to $GATE_DIR/started-2, ... for later runs) and waits
// until $GATE_DIR/go exists: before running the real tool ($GATE_WHEN=before) or after it
// (default: the outputs are written, the tool has not exited yet). The real tool is $GATE_REAL
// (default gcc), run with the same arguments.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const args = process.argv.slice(2);
const dir = process.env.GATE_DIR;
const match = process.env.GATE_MATCH;
const gated = !!dir && !!match && args.some((a) => a.includes(match));

async function gate() {
  // Exclusive creation: two runs reaching the gate at once must not both claim the same name.
  for (let n = 1; ; n++) {
    try {
      writeFileSync(path.join(dir, n === 1 ? 'started' : `started-${n}`), String(process.pid), {
        flag: 'wx',
      });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
  }
  while (!existsSync(path.join(dir, 'go'))) await sleep(10);
}

if (gated && process.env.GATE_WHEN === 'before') await gate();
const r = spawnSync(process.env.GATE_REAL ?? 'gcc', args, { stdio: 'inherit' });
if (gated && process.env.GATE_WHEN !== 'before') await gate();
process.exit(r.status ?? 1);
