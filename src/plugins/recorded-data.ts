// Checks of a step's recorded data as read back from a fingerprint (see runner/recorded-plan.ts),
// for the parts every recording step has; plain shapes use the state files' own checks.
import { isRecord } from '../state/index.js';

/** Sources as the compile engine takes them (`{ file, rel, language }`). */
export function isSources(a: unknown): boolean {
  return (
    Array.isArray(a) &&
    a.every(
      (s: unknown) =>
        isRecord(s) &&
        typeof s.file === 'string' &&
        typeof s.rel === 'string' &&
        typeof s.language === 'string',
    )
  );
}

/** `link` entries: what each gave (link info or nothing) and the step that builds it, if any. */
export function isRecordedLinks(
  a: unknown,
  extra: (l: Record<string, unknown>) => boolean = () => true,
): boolean {
  return (
    Array.isArray(a) &&
    a.every(
      (l: unknown) =>
        isRecord(l) &&
        (l.step === undefined || typeof l.step === 'string') &&
        (l.value === undefined || isRecord(l.value)) &&
        extra(l),
    )
  );
}
