import type { LinkInfo } from '../../../src/manifest/schema.js';
import { createInternalTestBuild } from '../../../src/runner/test-build.js';
import type { BuildContext, ExecOptions, ExecResult } from '../../../src/runner/types.js';

export interface FakeContext extends BuildContext {
  envReads: string[];
  tracked: string[];
  links: LinkInfo[];
  execs: Array<{ file: string; args: readonly string[]; options: ExecOptions | undefined }>;
  readonly logs: string[];
}

/**
 * The kilnjs/testing build context with `env` as the whole environment, recording env reads,
 * tracked files, emitted link info and programs run; running a program is an error unless the
 * test supplies `exec`.
 */
export function fakeContext(
  env: Record<string, string | undefined>,
  options: {
    host?: string;
    target?: string;
    exec?: (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;
  } = {},
): FakeContext {
  const execs: FakeContext['execs'] = [];
  const links: LinkInfo[] = [];
  const t = createInternalTestBuild({
    packageName: 'fake',
    env: { ...env },
    ...(options.host ? { host: options.host } : {}),
    ...(options.target ? { target: options.target } : {}),
    exec: async (file, args, opts) => {
      execs.push({ file, args, options: opts });
      if (!options.exec) throw new Error('exec not expected in this test');
      return options.exec(file, args, opts);
    },
  });
  const emitLink = t.ctx.emitLink;
  // Descriptors, not Object.assign: the getters must stay live, not be read once here.
  const extra = Object.getOwnPropertyDescriptors({
    emitLink: (info: LinkInfo) => {
      links.push(info);
      emitLink(info);
    },
    get envReads() {
      return [...t.state.envReads.keys()];
    },
    get tracked() {
      return [...t.state.files];
    },
    links,
    execs,
    get logs() {
      return t.logs();
    },
  });
  return Object.create(t.ctx, extra) as FakeContext;
}
