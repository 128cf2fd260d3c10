/**
 * The one freshness engine: file stamps (content identity with an mtime+size fast path and
 * git's racily-clean rule), a memoising change oracle, versioned state files and atomic
 * writes. The runner's fingerprint and every plugin's incremental state are built on it.
 */

export { sweepTemps, tempPath, writeFileAtomic, writeFileAtomicSync } from './atomic.js';
export { fsNow } from './clock.js';
export { hashBytes, hashFile, hashFileSync } from './hash.js';
export { ChangeOracle } from './oracle.js';
export {
  changedWithinTick,
  coarseTime,
  type FileStamp,
  MISSING,
  restampSync,
  settle,
  stamp,
  stampChange,
  stampChangeSync,
  stampSync,
  stampWritten,
  stampWrittenSync,
  statOrUndefined,
} from './stamp.js';
export {
  isNullableStringMap,
  isRecord,
  isRecordOf,
  isStamp,
  isStampMap,
  isStringArray,
  isStringMap,
  readState,
  readStateSync,
  removeState,
  type StateKind,
  writeState,
} from './store.js';
