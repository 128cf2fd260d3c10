import { existsSync } from 'node:fs';
import path from 'node:path';
import { findConfigFileIfAny } from '../config/find.js';
import { KilnError } from '../errors.js';
import { initFromGyp } from '../gyp/init.js';
import { writeAddonStarter } from './init-starter.js';

/** `kiln init`: writes a starter build.config.ts; never overwrites one without --force. */
export async function initCommand(args: {
  cwd?: string | undefined;
  force?: boolean | undefined;
  from?: string | undefined;
}): Promise<number> {
  const root = path.resolve(args.cwd ?? process.cwd());
  const existing = findConfigFileIfAny(root);
  if (existing && !args.force) {
    throw new KilnError('USAGE', `${path.relative(root, existing)} already exists`, {
      hint: 'Edit it, or run `kiln init --force` to replace it with the starter.',
    });
  }
  const file = path.join(root, 'build.config.ts');
  const gyp = args.from ?? (existsSync(path.join(root, 'binding.gyp')) ? 'binding.gyp' : undefined);
  if (gyp !== undefined) return initFromGyp(root, gyp, file);
  process.stdout.write(await writeAddonStarter(root, file));
  return 0;
}
