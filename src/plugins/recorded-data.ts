// Checks of a step's recorded data as read back from a fingerprint (see runner/recorded-plan.ts),
// for the parts every recording step has.

export function isStrings(a: unknown): a is string[] {
  return Array.isArray(a) && a.every((x) => typeof x === 'string');
}

/** Sources as the compile engine takes them (`{ file, rel, language }`). */
export function isSources(a: unknown): boolean {
  return (
    Array.isArray(a) &&
    a.every(
      (s: Record<string, unknown> | null) =>
        typeof s?.file === 'string' && typeof s.rel === 'string' && typeof s.language === 'string',
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
      (l: Record<string, unknown> | null) =>
        typeof l === 'object' &&
        l !== null &&
        (l.step === undefined || typeof l.step === 'string') &&
        (l.value === undefined || (typeof l.value === 'object' && l.value !== null)) &&
        extra(l),
    )
  );
}
