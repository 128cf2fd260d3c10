import path from 'node:path';
import { writeFileAtomic } from '../state/index.js';
import { assertGypExists, convertBindingGyp } from './convert.js';

/**
 * `kiln init` in a package with a binding.gyp (or `--from <file>`): writes the build.config.ts
 * converted from it and prints what was converted and what needs a hand.
 */
export async function initFromGyp(root: string, from: string, out: string): Promise<number> {
  const gyp = path.resolve(root, from);
  assertGypExists(gyp);
  const result = convertBindingGyp(root, gyp);
  await writeFileAtomic(out, result.text);
  const lines = [`Wrote ${path.relative(root, out)} from ${path.relative(root, gyp)}:`];
  for (const c of result.converted) lines.push(`  ${c}`);
  if (result.needsHand.length) {
    lines.push(`Needs a hand (TODO(kiln) in ${path.relative(root, out)}):`);
    for (const n of result.needsHand) lines.push(`  - ${n}`);
  } else lines.push('Nothing needs a hand: run `kiln build`.');
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
