import { createColors } from 'picocolors';

/**
 * Colour only on a terminal, never with NO_COLOR (https://no-color.org). A module of its own:
 * `kiln doctor` colours its lines without loading the build reporter.
 */
export function colorsFor(stream: NodeJS.WriteStream) {
  return createColors(!!stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb');
}
