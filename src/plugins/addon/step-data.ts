import type { Source } from '../../compile/index.js';
import type { LinkInfo } from '../../manifest/schema.js';
import { isRecord, isStringArray } from '../../state/index.js';
import { isRecordedLinks, isSources } from '../recorded-data.js';
import type { NodeApiHeaders } from './headers.js';

/**
 * What an addon step is planned from once its options are read, its headers and sources found
 * and the steps it links planned: plain data, recorded with the build so the step can be planned
 * again without loading the config when only its sources or headers changed. What the `link`
 * entries add to the compile (includes, defines, flags) is added when the step is planned.
 */
export interface AddonStepData {
  name: string;
  compileCommands: string | boolean | undefined;
  prebuild: boolean;
  ldFlags: string[];
  /** The addon's own sources (a Windows build adds the delay-load hook when planned). */
  sources: Source[];
  headers: NodeApiHeaders;
  napiVersion: number;
  compile: {
    /** The Node-API headers, node-addon-api's, then the options' own, absolute. */
    includes: string[];
    /** `NAPI_VERSION` and the exceptions switch, then the user's `defines`, as `-D` arguments. */
    ownDefines: string[];
    userDefines: string[];
    std: string;
    warnings: 'on' | 'off' | 'error';
    flags: string[];
    cxxFlags: string[];
  };
  /**
   * Each `link` entry: what it gave, the step of this build that builds it (if any), and
   * whether it is link-only (its include dirs and flags stay private).
   */
  link: { value: LinkInfo | undefined; step: string | undefined; linkOnly: boolean }[];
}

/** Whether recorded JSON (read back from a fingerprint) has the shape of an addon step's data. */
export function isAddonStepData(v: unknown): v is AddonStepData {
  if (!isRecord(v)) return false;
  const c = v.compile;
  const h = v.headers;
  return (
    typeof v.name === 'string' &&
    ['string', 'boolean', 'undefined'].includes(typeof v.compileCommands) &&
    typeof v.prebuild === 'boolean' &&
    isStringArray(v.ldFlags) &&
    isSources(v.sources) &&
    isRecord(h) &&
    typeof h.includeDir === 'string' &&
    typeof h.source === 'string' &&
    typeof v.napiVersion === 'number' &&
    isRecord(c) &&
    isStringArray(c.includes) &&
    isStringArray(c.ownDefines) &&
    isStringArray(c.userDefines) &&
    typeof c.std === 'string' &&
    typeof c.warnings === 'string' &&
    isStringArray(c.flags) &&
    isStringArray(c.cxxFlags) &&
    isRecordedLinks(v.link, (l) => typeof l.linkOnly === 'boolean')
  );
}
