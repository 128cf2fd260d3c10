// The `defines` option as compiler arguments: imported by option checks that run when a config
// is loaded (addon's), so it stays free of the toolchain.

/** `-D` arguments for the defines option, in the order given. */
export function defineFlags(
  defines:
    | Readonly<Record<string, string | number | boolean | null>>
    | readonly string[]
    | undefined,
): string[] {
  if (!defines) return [];
  if (isList(defines)) return defines.map((d) => `-D${d}`);
  const out: string[] = [];
  for (const [name, value] of Object.entries(defines)) {
    if (value === false) continue;
    out.push(value === true || value === null ? `-D${name}` : `-D${name}=${value}`);
  }
  return out;
}

function isList(d: Readonly<Record<string, unknown>> | readonly string[]): d is readonly string[] {
  return Array.isArray(d);
}
