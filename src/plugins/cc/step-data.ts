import type { Source, TargetBuildInput } from '../../compile/index.js';
import type { LinkInfo } from '../../manifest/schema.js';
import { isRecord, isStringArray } from '../../state/index.js';
import { isRecordedLinks, isSources } from '../recorded-data.js';
import type { CcLibrary } from './step.js';

/**
 * What a cc step is planned from once its options are read, its sources found and the steps it
 * links planned: plain data, recorded with the build so the step can be planned again without
 * loading the config when only its sources or headers changed.
 */
export interface CcStepData {
  name: string;
  kind: CcLibrary['kind'];
  wholeArchive: boolean;
  compileCommands: string | boolean | undefined;
  sources: Source[];
  /** Extra flags by absolute source path. */
  perFile: [string, string[]][];
  settings: Omit<TargetBuildInput['settings'], 'profile'>;
  ldFlags: string[];
  /** Each `link` entry: what it gave, and the step of this build that builds it, if any. */
  link: { value: LinkInfo | undefined; step: string | undefined }[];
}

const KINDS: readonly string[] = ['static', 'shared', 'objects', 'executable'];

/** Whether recorded JSON (read back from a fingerprint) has the shape of a cc step's data. */
export function isCcStepData(v: unknown): v is CcStepData {
  if (!isRecord(v)) return false;
  return (
    typeof v.name === 'string' &&
    KINDS.includes(v.kind as string) &&
    typeof v.wholeArchive === 'boolean' &&
    ['string', 'boolean', 'undefined'].includes(typeof v.compileCommands) &&
    isSources(v.sources) &&
    Array.isArray(v.perFile) &&
    v.perFile.every((e) => Array.isArray(e) && typeof e[0] === 'string' && isStringArray(e[1])) &&
    isRecord(v.settings) &&
    isStringArray(v.ldFlags) &&
    isRecordedLinks(v.link)
  );
}
