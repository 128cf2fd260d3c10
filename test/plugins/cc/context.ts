import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ContextState, createBuildContext } from '../../../src/runner/context.js';
import type { BuildEvent } from '../../../src/runner/events.js';
import { JobPool } from '../../../src/runner/jobs.js';
import type { BuildContext, Profile } from '../../../src/runner/types.js';
import { hostTriple, parseTriple } from '../../../src/target/triple.js';

export interface TestContext {
  ctx: BuildContext;
  state: ContextState;
  events: BuildEvent[];
  /** `STEP what` for every progress event, in order. */
  steps(): string[];
}

export interface TestContextOptions {
  root: string;
  /** The whole environment the build sees (default: process.env). */
  env?: NodeJS.ProcessEnv;
  target?: string;
  profile?: Profile;
  outDir?: string;
  jobs?: number;
  /** Cancels the build (Ctrl-C). */
  signal?: AbortSignal;
  /** Sees every event as it happens (after it is recorded). */
  onEvent?: (event: BuildEvent) => void;
}

/** A real build context (the runner's) over a temp outDir, recording events for assertions. */
export function testContext(options: TestContextOptions): TestContext {
  const events: BuildEvent[] = [];
  const host = parseTriple(hostTriple());
  const { ctx, state } = createBuildContext({
    packageRoot: options.root,
    packageName: 'fixture',
    target: options.target ? parseTriple(options.target) : host,
    host,
    profile: options.profile ?? { name: 'release', optLevel: '2', debugInfo: false },
    outDir: options.outDir ?? mkdtempSync(path.join(os.tmpdir(), 'kiln-cc-out-')),
    pool: new JobPool(options.jobs ?? 2),
    env: options.env ?? process.env,
    verbose: false,
    signal: options.signal ?? new AbortController().signal,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
    kilnVersion: '0.0.0-test',
  });
  return {
    ctx,
    state,
    events,
    steps: () => events.flatMap((e) => (e.type === 'progress' ? [`${e.step} ${e.what}`] : [])),
  };
}
