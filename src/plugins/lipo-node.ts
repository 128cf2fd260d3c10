import path from 'node:path';
import { workNode } from '../runner/graph.js';
import type { BuildContext, BuildNode } from '../runner/types.js';
import { lipoMerge } from '../toolchain/lipo.js';

/**
 * The node that merges a universal target's per-arch files (`parts`) into `merged` with lipo,
 * after `after` (the nodes that write the parts).
 */
export function lipoNode(
  ctx: BuildContext,
  step: string,
  parts: readonly string[],
  merged: string,
  after: readonly BuildNode[],
): BuildNode {
  return workNode(
    step,
    'lipo',
    merged,
    {
      count: 1,
      inputs: parts,
      outputs: [merged],
      run: async () => {
        ctx.progress.step('LIPO', path.relative(ctx.packageRoot, merged));
        await lipoMerge(ctx, [...parts], merged);
      },
    },
    after,
  );
}
