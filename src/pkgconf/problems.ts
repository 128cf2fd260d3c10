/** Resolution problems and their text in pkgconf 1.8.1's wording. */
import type { KilnError } from '../errors.js';
import type { PcPackage } from './package.js';
import { type Dependency, formatDependency } from './version.js';

export type ResolveProblem =
  | { kind: 'not-found'; dep: Dependency; parent: string }
  | { kind: 'version'; dep: Dependency; parent: string; found: PcPackage }
  | { kind: 'conflict'; pkg: PcPackage; rule: Dependency; other: PcPackage }
  | { kind: 'invalid'; error: KilnError };

/** A problem as one line of text, in pkgconf's wording. */
export function describeProblem(p: ResolveProblem): string {
  switch (p.kind) {
    case 'not-found':
      return `Package '${p.dep.name}', required by '${p.parent}', not found`;
    case 'version':
      return (
        `Package dependency requirement '${formatDependency(p.dep)}' could not be satisfied.\n` +
        `Package '${p.dep.name}' has version '${p.found.version}', required version is '${p.dep.op} ${p.dep.version}'`
      );
    case 'conflict':
      return (
        `Version '${p.other.version}' of '${p.other.name}' conflicts with '${p.pkg.name}' due to satisfying conflict rule '${formatDependency(p.rule)}'.\n` +
        'It may be possible to ignore this conflict and continue, try the\nPKG_CONFIG_IGNORE_CONFLICTS environment variable.'
      );
    case 'invalid':
      return p.error.message;
  }
}
