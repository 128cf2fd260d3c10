import { rm } from 'node:fs/promises';
import type { BuildContext } from '../runner/types.js';
import {
  ChangeOracle,
  type FileStamp,
  hashBytes,
  isRecord,
  isStamp,
  readState,
  type StateKind,
  stampWritten,
  stampWrittenSync,
  writeState,
} from '../state/index.js';
import { linkThroughTemp } from './link.js';
import { relPath } from './sources.js';
import type { PlannedWork } from './target.js';

/** A module's last link: the hash of its command and inputs, and the file as written. */
interface LinkState {
  key: string;
  output: FileStamp;
}

const LINK_STATE: StateKind<LinkState> = {
  kind: 'kiln-addon-link',
  version: 2,
  valid: (d): d is LinkState => isRecord(d) && typeof d.key === 'string' && isStamp(d.output),
};

export interface ModuleLinkInput {
  /** The link command; it writes `tmp`, renamed over `output` once the link and `verify` pass. */
  program: string;
  args: string[];
  /** The command's arguments with the final output name, when the temporary one is not a whole argument (`/OUT:<tmp>`). */
  keyArgs?: string[] | undefined;
  env?: Record<string, string> | undefined;
  tmp: string;
  /** A temporary folder holding `tmp` (Windows links), removed after the link. */
  tmpDir?: string | undefined;
  output: string;
  /** Every file the link reads by content (objects, libraries given by path). */
  reads: readonly string[];
  /** Something this build rewrites feeds the link (an object compiles, a library is rebuilt). */
  stale: boolean;
  /** Where the last link is recorded. */
  stateFile: string;
  /** What the error names and suggests when the link fails; `verify` checks the fresh output. */
  failure: { what: string; hint: string; verify?: (tmp: string) => Promise<void> };
}

/**
 * Plans the link of a loadable module (`.node`): it runs when something it reads is rewritten in
 * this build, or its command or an input's content differs from what the last link recorded, or
 * the output no longer matches; otherwise it is fresh (undefined).
 */
export async function planModuleLink(
  ctx: BuildContext,
  input: ModuleLinkInput,
): Promise<PlannedWork | undefined> {
  // The temporary output name is unique per run: the key is taken over the final name. It is
  // taken again after the link, when every input is final.
  const args = input.keyArgs ?? input.args.map((a) => (a === input.tmp ? input.output : a));
  const key = async () => {
    const stamps = await Promise.all(
      input.reads.map(async (f) => [f, (await stampWritten(f)).hash]),
    );
    return hashBytes(JSON.stringify([input.program, args, stamps]));
  };
  const previous = await readState(input.stateFile, LINK_STATE);
  const fresh =
    !input.stale &&
    !ctx.force &&
    previous !== undefined &&
    previous.key === (await key()) &&
    (await new ChangeOracle().change(input.output, previous.output)) === undefined;
  if (fresh) return undefined;
  return {
    count: 1,
    inputs: [...input.reads],
    outputs: [input.output],
    run: async () => {
      ctx.progress.step('LINK', relPath(ctx.packageRoot, input.output));
      try {
        await linkThroughTemp(
          ctx,
          {
            program: input.program,
            args: input.args,
            tmp: input.tmp,
            output: input.output,
            env: input.env,
          },
          input.failure,
        );
      } finally {
        if (input.tmpDir) await rm(input.tmpDir, { recursive: true, force: true });
      }
      await writeState(input.stateFile, LINK_STATE, {
        key: await key(),
        output: stampWrittenSync(input.output),
      });
    },
  };
}
