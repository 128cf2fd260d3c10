/**
 * Orders strings by UTF-16 code unit, as `Array.prototype.sort` does by default: the same order
 * under every locale, so what is written from it is the same bytes on every machine. (Unlike
 * `localeCompare`, whose first call also loads ICU's collator: ~6 ms at start-up.)
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
