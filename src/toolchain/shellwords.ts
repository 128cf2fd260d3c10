// Shell-style splitting and quoting live in util/quote.ts; the toolchain re-exports them.
export { shellJoin, shellQuote, splitShellWords } from '../util/quote.js';
