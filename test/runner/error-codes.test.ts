import { describe, expect, it } from 'vitest';
import { defineErrorCode, KilnError } from '../../src/index.js';

describe('plugin error codes', () => {
  it('a declared code gives its exit code and default hint; an explicit hint wins', () => {
    const usage = defineErrorCode('@acme/proto/BAD_FILE', { kind: 'usage', hint: 'Fix the file.' });
    const failure = defineErrorCode('proto/TOOL_CRASHED');
    expect(new KilnError(usage, 'a.proto: bad').exitCode).toBe(2);
    expect(new KilnError(usage, 'a.proto: bad').hint).toBe('Fix the file.');
    expect(new KilnError(usage, 'a.proto: bad', { hint: 'Other.' }).hint).toBe('Other.');
    expect(new KilnError(failure, 'protoc crashed').exitCode).toBe(1);
    // An undeclared namespaced code is a build failure without a default hint.
    expect(new KilnError('proto/UNDECLARED', 'x').exitCode).toBe(1);
    expect(new KilnError('CONFIG_INVALID', 'x').exitCode).toBe(2);
  });

  it('refuses a code that is not namespaced or not upper case', () => {
    for (const code of ['BAD', 'proto/bad', '/BAD', 'Proto Thing/BAD']) {
      expect(() => defineErrorCode(code as 'x/Y')).toThrow(/not a namespaced error code/);
    }
  });
});
