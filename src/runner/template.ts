/**
 * `ctx.$`: a zx-style tagged template on execa's template rules. There is no shell: the
 * literal text is split on whitespace, each interpolation is one argument whatever it holds
 * (spaces, quotes, `$()`), an array is several arguments, and an interpolation touching literal
 * text (`--out=${dir}`) joins it. The first word is the program.
 */
import { KilnError } from '../errors.js';
import type { ExecOptions, ExecResult } from './types.js';

/** What may be interpolated: text, a number, a previous result (its stdout), or a list of those. */
export type TemplateValue = TemplateScalar | readonly TemplateScalar[];
type TemplateScalar = string | number | { stdout: string };

/** `ctx.$\`make -C ${dir}\`` runs a command; `ctx.$({ cwd })\`...\`` first binds options. */
export interface TemplateExec {
  (strings: TemplateStringsArray, ...values: TemplateValue[]): Promise<ExecResult>;
  (options: ExecOptions): TemplateExec;
}

type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/** Builds `ctx.$` over `ctx.exec`, so it shares the job pool, output capture and directives. */
export function templateExec(exec: Exec, bound: ExecOptions = {}): TemplateExec {
  function $(first: TemplateStringsArray | ExecOptions, ...values: TemplateValue[]) {
    if (!isTemplate(first)) return templateExec(exec, { ...bound, ...first });
    const [file, ...args] = parseTemplate(first, values);
    if (file === undefined || file === '') {
      throw new KilnError('USAGE', 'ctx.$: the template names no program', {
        hint: 'Start it with the program: ctx.$`make -C vendor`.',
      });
    }
    return exec(file, args, bound);
  }
  return $ as TemplateExec;
}

function isTemplate(value: unknown): value is TemplateStringsArray {
  return Array.isArray(value) && Array.isArray((value as { raw?: unknown }).raw);
}

/** The argv a template stands for. */
export function parseTemplate(
  strings: TemplateStringsArray,
  values: readonly TemplateValue[],
): string[] {
  const args: string[] = [];
  // The argument being built; `undefined` between words.
  let current: string | undefined;
  const push = () => {
    if (current !== undefined) args.push(current);
    current = undefined;
  };
  const literal = (text: string) => {
    const words = text.split(/[ \t\r\n]+/);
    words.forEach((word, i) => {
      if (i > 0) push();
      if (word !== '') current = (current ?? '') + word;
    });
  };
  strings.forEach((_, i) => {
    // Cooked text, so `\n` and `\t` mean what they do in any template; an invalid escape keeps its raw form.
    literal(strings[i] ?? strings.raw[i]!);
    if (i >= values.length) return;
    // An empty array adds nothing; an empty string is still one (empty) argument.
    const parts = scalars(values[i], i);
    parts.forEach((part, j) => {
      if (j > 0) push();
      current = (current ?? '') + part;
    });
  });
  push();
  return args;
}

function scalars(value: TemplateValue | undefined, index: number): string[] {
  const list: readonly unknown[] = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (
      typeof v === 'object' &&
      v !== null &&
      typeof (v as { stdout?: unknown }).stdout === 'string'
    ) {
      // A previous result: its output without the final newline, as execa does.
      return (v as { stdout: string }).stdout.replace(/\r?\n$/, '');
    }
    throw new KilnError(
      'USAGE',
      `ctx.$: interpolation ${index + 1} is ${v === null ? 'null' : typeof v}, not a string, number, result or array of them`,
      {
        hint: 'Interpolate strings or numbers (String(x) to convert); leave an optional argument out by interpolating an empty array.',
      },
    );
  });
}
