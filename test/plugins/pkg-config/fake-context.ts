import type { LinkInfo } from '../../../src/manifest/schema.js';
import { templateExec } from '../../../src/runner/template.js';
import type { BuildContext, ExecOptions, ExecResult, Plugin } from '../../../src/runner/types.js';
import { parseTriple } from '../../../src/target/triple.js';

export interface FakeContext extends BuildContext {
  envReads: string[];
  tracked: string[];
  links: LinkInfo[];
  execs: Array<{ file: string; args: readonly string[]; options: ExecOptions | undefined }>;
  logs: string[];
}

/** A BuildContext that records env reads, tracked files, emitted link info and exec calls. */
export function fakeContext(
  env: Record<string, string | undefined>,
  options: {
    host?: string;
    target?: string;
    exec?: (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;
  } = {},
): FakeContext {
  const host = parseTriple(options.host ?? 'x86_64-unknown-linux-gnu');
  const target = parseTriple(options.target ?? host.triple);
  const envReads: string[] = [];
  const tracked: string[] = [];
  const links: LinkInfo[] = [];
  const execs: FakeContext['execs'] = [];
  const logs: string[] = [];
  const getEnv = (name: string): string | undefined => {
    envReads.push(name);
    return env[name];
  };
  const ctx: FakeContext = {
    packageRoot: '/fake',
    packageName: 'fake',
    target,
    host,
    profile: { name: 'debug', optLevel: '0', debugInfo: true },
    outDir: '/fake/out',
    jobs: 1,
    verbose: false,
    force: false,
    env: new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? getEnv(k) : undefined) }),
    getEnv,
    trackFiles: (paths) => {
      tracked.push(...paths);
    },
    trackTool: () => {},
    addArtifact: () => {},
    exec: async (file, args, opts) => {
      execs.push({ file, args, options: opts });
      if (!options.exec) throw new Error('exec not expected in this test');
      return options.exec(file, args, opts);
    },
    $: templateExec((file, args, opts) => ctx.exec(file, args, opts)),
    withJobs: (_n, fn) => fn(),
    emit: () => {},
    emitLink: (info) => {
      links.push(info);
    },
    use: async <R>(plugin: Plugin<R>) => plugin.run(ctx),
    deps: {},
    log: {
      info: (m) => logs.push(`info: ${m}`),
      warn: (m) => logs.push(`warn: ${m}`),
      debug: (m) => logs.push(`debug: ${m}`),
    },
    progress: { plan: () => {}, step: () => {} },
    signal: new AbortController().signal,
    cache: (_k, compute) => compute(),
    envReads,
    tracked,
    links,
    execs,
    logs,
  };
  return ctx;
}
