import type { ContextState } from '../../../src/runner/context.js';
import type { BuildEvent } from '../../../src/runner/events.js';
import { createInternalTestBuild } from '../../../src/runner/test-build.js';
import type { BuildContext, Profile } from '../../../src/runner/types.js';

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

/** The kilnjs/testing build over `root`, in the release profile cc's tests assume. */
export function testContext(options: TestContextOptions): TestContext {
  const t = createInternalTestBuild({
    ...options,
    packageName: 'fixture',
    profile: options.profile ?? { name: 'release', optLevel: '2', debugInfo: false },
  });
  return { ctx: t.ctx, state: t.state, events: t.events, steps: t.steps };
}
