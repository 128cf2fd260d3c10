// Runs one Kiln build of a package through the programmatic API (dist/) and prints this
// process's own peak RSS, so the benchmark can report Kiln's memory apart from the compilers'.
import { build } from '../../dist/index.js';

const [root, jobs] = process.argv.slice(2);
const steps = [];
await build({
  cwd: root,
  release: true,
  jobs: Number(jobs),
  onEvent: (e) => {
    if (e.type === 'progress') steps.push(`${e.step} ${e.what}`);
  },
});
process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, steps })}\n`);
