import { readManifest } from '../manifest/read.js';
import { type ManifestFormat, renderManifest } from '../manifest/render/index.js';
import { writeFileAtomic } from '../util/fs.js';

export interface PrintArgs {
  cwd?: string | undefined;
  target?: string | undefined;
  profile?: string | undefined;
  release?: boolean | undefined;
  outDir?: string | undefined;
  format: ManifestFormat;
  cflags?: boolean | undefined;
  libs?: boolean | undefined;
  output?: string | undefined;
}

/** `kiln print`: the link manifest rendered for a consumer, on stdout or into a file. */
export async function printCommand(args: PrintArgs): Promise<number> {
  const manifest = await readManifest({
    ...(args.cwd ? { cwd: args.cwd } : {}),
    ...(args.target ? { target: args.target } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
    ...(args.release ? { release: true } : {}),
    ...(args.outDir ? { outBase: args.outDir } : {}),
  });
  const format =
    args.cflags || args.libs ? (args.format === 'json' ? 'flags' : args.format) : args.format;
  const text = renderManifest(manifest, format, { cflags: !!args.cflags, libs: !!args.libs });
  if (args.output) await writeFileAtomic(args.output, text);
  else process.stdout.write(text);
  return 0;
}
