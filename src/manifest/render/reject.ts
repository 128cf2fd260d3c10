import { KilnError } from '../../errors.js';

/**
 * The error for a manifest value that a format has no way to spell. Renderers escape whatever
 * the consumer's syntax can express; what it cannot (a newline in a one-line pkg-config field, an
 * unbalanced `[` in a CMake list element) is refused rather than silently altered, since a
 * changed flag or path would build something else.
 */
export function unrepresentable(
  format: string,
  what: string,
  value: string,
  why: string,
): KilnError {
  return new KilnError(
    'MANIFEST_INVALID',
    `Cannot render ${what} ${JSON.stringify(value)} for --format ${format}: ${why}`,
    {
      hint: 'Change the build step that produced this value, or use another format (json and env keep any value).',
    },
  );
}

/** Text for a generated comment line: control characters (a newline would end the comment) become spaces. */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, ' ');
}
