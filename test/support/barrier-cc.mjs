#!/usr/bin/env node
// A compiler wrapper (`wrapper compiler args…`) that holds every compile until $BARRIER_COUNT
// of them have started ($BARRIER_DIR collects one file per compile), then runs the real
// compiler. It proves that many compiles were in flight at once: with fewer slots the barrier is
// never reached, and after $BARRIER_TIMEOUT_MS (default 30 s) the compile fails, naming why.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const [compiler, ...args] = process.argv.slice(2);
if (args.includes('-c')) {
  const dir = process.env.BARRIER_DIR;
  const want = Number(process.env.BARRIER_COUNT);
  writeFileSync(path.join(dir, `started-${process.pid}`), '');
  const until = Date.now() + Number(process.env.BARRIER_TIMEOUT_MS ?? 30000);
  // Polls the folder: no compile may finish before `want` are running together.
  while (readdirSync(dir).length < want) {
    if (Date.now() > until) {
      process.stderr.write(
        `barrier-cc: only ${readdirSync(dir).length} of ${want} compiles started\n`,
      );
      process.exit(1);
    }
    await sleep(20);
  }
}
const r = spawnSync(compiler, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
