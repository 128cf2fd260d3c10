import { isAddonStepData } from '../plugins/addon/step-data.js';
import { isCcStepData } from '../plugins/cc/step-data.js';
import { isRecord, isStringArray } from '../state/index.js';
import { resolvePath } from '../util/paths.js';
import {
  type Fingerprint,
  type Freshness,
  type FreshnessQuery,
  fingerprintChanges,
} from './fingerprint.js';

/** The plugins whose steps record themselves (and which `replay.ts` plans again). */
export const RECORDING_PLUGINS = ['cc', 'addon'] as const;
export type RecordingPlugin = (typeof RECORDING_PLUGINS)[number];

/** Each recording plugin's check of its data as read back from a fingerprint. */
const VALID_DATA: Record<RecordingPlugin, (data: unknown) => boolean> = {
  cc: isCcStepData,
  addon: isAddonStepData,
};

/**
 * How the last build was planned, kept in its fingerprint: enough to plan it again without
 * loading the config, as long as nothing the plan was made from has changed.
 */
export interface RecordedPlan {
  /**
   * The inputs the plan was made from (stored paths): the config and its imports,
   * `package.json`, folders globbed for sources, the compilers' own files. Only files the
   * compile units read (sources, headers) are left out.
   */
  planFiles: string[];
  /** Every step of the build, in the order they were planned. */
  steps: { plugin: RecordingPlugin; step: string; data: unknown }[];
}

/**
 * Freshness (the first difference is the reason reported) and, when not fresh, whether the
 * recorded plan still holds, in one walk over the fingerprint. It holds when the build differs
 * from the fingerprint only in the content of files that compile units read; anything else (an
 * environment variable, a program on PATH, a config or globbed folder, a file that was removed
 * or created, an output, Node) and the config runs again.
 */
export function judgeFingerprint(
  fp: Fingerprint | undefined,
  q: FreshnessQuery,
): { freshness: Freshness; replay: RecordedPlan | undefined } {
  if (!fp) return { freshness: { fresh: false, reason: 'no previous build' }, replay: undefined };
  let reason: string | undefined;
  // Checked at the first difference only: a fresh build (the common case) never reads the plan.
  let plan: RecordedPlan | undefined;
  let planFiles = new Set<string>();
  let replayable = true;
  for (const c of fingerprintChanges(fp, q)) {
    if (reason === undefined) {
      reason = c.reason;
      plan = isRecordedPlan(fp.plan) ? fp.plan : undefined;
      planFiles = new Set(plan?.planFiles);
    }
    replayable &&=
      plan !== undefined &&
      c.kind === 'file' &&
      !planFiles.has(c.name) &&
      (c.change === 'changed' || c.change === 'changed during the last build');
    if (!replayable) break;
  }
  if (reason === undefined) return { freshness: { fresh: true }, replay: undefined };
  return { freshness: { fresh: false, reason }, replay: replayable ? plan : undefined };
}

function isRecordedPlan(p: unknown): p is RecordedPlan {
  return (
    isRecord(p) &&
    isStringArray(p.planFiles) &&
    Array.isArray(p.steps) &&
    p.steps.every(
      (s: unknown) =>
        isRecord(s) &&
        typeof s.plugin === 'string' &&
        (RECORDING_PLUGINS as readonly string[]).includes(s.plugin) &&
        typeof s.step === 'string' &&
        VALID_DATA[s.plugin as RecordingPlugin](s.data),
    )
  );
}

/** Absolute paths of the plan's own inputs, for the fingerprint of a replayed build. */
export function planInputFiles(plan: RecordedPlan, root: string): string[] {
  return plan.planFiles.map((f) => resolvePath(root, f));
}
