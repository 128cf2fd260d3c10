import { rm } from 'node:fs/promises';
import path from 'node:path';
import { OUT_BASE, outDirFor } from '../runner/paths.js';
import { resolveProfile } from '../runner/profile.js';
import { hostTriple, parseTriple } from '../target/triple.js';

export interface CleanArgs {
  cwd?: string | undefined;
  target?: string | undefined;
  profile?: string | undefined;
  release?: boolean | undefined;
  outDir?: string | undefined;
  all?: boolean | undefined;
}

/** `kiln clean`: removes one target+profile outDir, or every Kiln output with --all. */
export async function cleanCommand(args: CleanArgs): Promise<number> {
  const root = path.resolve(args.cwd ?? process.cwd());
  const dir = args.all
    ? path.resolve(root, args.outDir ?? OUT_BASE)
    : outDirFor(
        root,
        parseTriple(args.target ?? hostTriple()).triple,
        resolveProfile(args.profile, args.release).name,
        args.outDir,
      );
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(`Removed ${path.relative(root, dir) || dir}\n`);
  return 0;
}
