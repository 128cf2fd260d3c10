// Runs one Kiln build of a package through the programmatic API (dist/) and prints this
// process's own peak RSS, so the benchmark can report Kiln's memory apart from the compilers'.
import { build } from '../../dist/index.js';

const [root, jobs] = process.argv.slice(2);
const steps = [];
const why = [];
await build({
  cwd: root,
  release: true,
  jobs: Number(jobs),
  onEvent: (e) => {
    if (e.type === 'progress') steps.push(`${e.step} ${e.what}`);
    // The cc plugin says why each object is stale (debug log): kept to explain a surprise.
    if (e.type === 'log' && e.message.startsWith('cc ')) why.push(e.message);
    if (e.type === 'dirty') why.unshift(`dirty: ${e.reason}`);
  },
});
process.stdout.write(
  `${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, steps, why: why.slice(0, 5) })}\n`,
);
