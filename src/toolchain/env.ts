import type { BuildContext } from '../runner/types.js';
import type { Triple } from '../target/triple.js';

/** A variable found by {@link lookupToolEnv}: which name matched, and its value. */
export interface EnvHit {
  name: string;
  value: string;
}

/**
 * The names cc-rs consults for `VAR`, most specific first: `VAR_<triple>`,
 * `VAR_<triple with - and . as _>`, `TARGET_VAR` when cross compiling or `HOST_VAR` when building
 * for the host, then plain `VAR`.
 */
export function envNames(variable: string, target: Triple, host: Triple): string[] {
  const triple = target.triple;
  const kind = triple === host.triple ? 'HOST' : 'TARGET';
  return [
    `${variable}_${triple}`,
    `${variable}_${triple.replace(/[-.]/g, '_')}`,
    `${kind}_${variable}`,
    variable,
  ];
}

/**
 * The first of {@link envNames} that is set, read through `ctx.getEnv` so every name consulted
 * becomes a tracked input (a more specific variable appearing later reruns the build).
 *
 * `emptyIsUnset`: for a program (`CC=`) an empty value means "not set"; for flags an empty value
 * is a real value (`TARGET_CFLAGS=` cancels a plain `CFLAGS` for cross builds).
 */
export function lookupToolEnv(
  ctx: Pick<BuildContext, 'getEnv' | 'host'>,
  variable: string,
  target: Triple,
  { emptyIsUnset }: { emptyIsUnset: boolean },
): EnvHit | undefined {
  for (const name of envNames(variable, target, ctx.host)) {
    const value = ctx.getEnv(name);
    if (value === undefined) continue;
    if (emptyIsUnset && value.trim() === '') continue;
    return { name, value };
  }
  return undefined;
}
