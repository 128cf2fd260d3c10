/**
 * The shape of a schema as Kiln uses it, without naming a schema library, so published types
 * that mention it need no dependency.
 */
/** One problem a schema reports (zod 4's issues have this shape). */
export interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** The unknown keys, for `code: 'unrecognized_keys'`. */
  readonly keys?: readonly string[];
}

/** What Kiln needs of an options schema: zod 4's `safeParse`. */
export interface OptionsSchema<O = unknown> {
  safeParse(
    value: unknown,
  ): { success: true; data: O } | { success: false; error: { issues: readonly SchemaIssue[] } };
}
