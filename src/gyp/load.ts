import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';
import { splitShellWords } from '../util/quote.js';
import { evalCondition, UndefinedName } from './expr.js';
import { formatGyp, type GypDict, type GypValue, isDict, parseGyp } from './parse.js';

/**
 * What the loader could not do by itself, and what it did at init time that the user should know
 * about: each becomes a comment in the generated config and a line of the summary.
 */
export interface LoadNotes {
  /** Commands run once at init time (`<!(...)`), with what they printed. */
  evaluated: { file: string; command: string; output: string }[];
  /** Parts kept out of the conversion, with the original gyp text. */
  todos: { file: string; what: string; gyp: string }[];
  /** Conditions not taken because they are for another OS or arch, by their expression. */
  otherPlatforms: string[];
}

/**
 * Markers a recognised command expansion leaves in a string, for the converter to turn into a
 * plugin option instead of a flag: `\0kiln:<kind>:<payload>`.
 */
export const MARK = '\u0000kiln:';
export type Marker =
  | { kind: 'pkg-config'; names: string[]; what: 'cflags' | 'libs' }
  | { kind: 'node-addon-api'; what: 'include' | 'gyp' | 'targets' }
  | { kind: 'unexpanded'; command: string };

export function marker(m: Marker): string {
  return MARK + JSON.stringify(m);
}

export function readMarker(s: string): Marker | undefined {
  if (!s.startsWith(MARK)) return undefined;
  const end = s.indexOf('}', MARK.length);
  // A marker is followed by whatever text came after the expansion; the JSON ends at the last }.
  for (let i = s.length; i > end; i--) {
    try {
      return JSON.parse(s.slice(MARK.length, i)) as Marker;
    } catch {}
  }
  return undefined;
}

export interface Platform {
  os: 'linux' | 'mac' | 'win' | 'freebsd' | 'openbsd' | 'aix' | 'solaris';
  arch: string;
}

/** gyp's OS and node-gyp's target_arch for the machine Kiln runs on. */
export function hostPlatform(): Platform {
  const map: Record<string, Platform['os']> = {
    darwin: 'mac',
    win32: 'win',
    linux: 'linux',
    freebsd: 'freebsd',
    openbsd: 'openbsd',
    aix: 'aix',
    sunos: 'solaris',
  };
  return { os: map[process.platform] ?? 'linux', arch: process.arch };
}

/**
 * The variables node-gyp gives every binding.gyp: the running Node's `process.config.variables`
 * (what node-gyp writes to config.gypi), gyp's `OS`, and the paths node-gyp passes with -D.
 */
export function nodeGypVariables(root: string, platform: Platform): Map<string, GypValue> {
  const vars = new Map<string, GypValue>();
  const config = (process.config as { variables?: Record<string, unknown> }).variables ?? {};
  for (const [k, v] of Object.entries(config)) {
    if (typeof v === 'string' || typeof v === 'number') vars.set(k, v);
    else if (typeof v === 'boolean') vars.set(k, v ? 'true' : 'false');
  }
  const nodeRoot = path.resolve(path.dirname(process.execPath), '..');
  const extra: Record<string, GypValue> = {
    OS: platform.os,
    target_arch: platform.arch,
    host_arch: process.arch,
    module_root_dir: root,
    node_root_dir: nodeRoot,
    nodedir: nodeRoot,
    napi_build_version: process.versions.napi ?? '8',
    node_module_version: Number(process.versions.modules),
    standalone_static_library: 1,
    PRODUCT_DIR: path.join(root, 'build', 'Release'),
    CONFIGURATION_NAME: 'Release',
    library: 'static_library',
    component: 'static_library',
  };
  for (const [k, v] of Object.entries(extra)) vars.set(k, v);
  return vars;
}

/** Reads and parses one gyp file, with its `includes` merged in as gyp does. */
export function loadGypFile(file: string, seen: string[] = []): GypDict {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KilnError('CONFIG_NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`, {
      hint: seen.length
        ? `It is included from ${seen.at(-1)}; a generated .gypi must be written first (see the package's install script).`
        : 'Pass the binding.gyp with `kiln init --from <file>`.',
    });
  }
  const data = parseGyp(text, file);
  if (!isDict(data)) {
    throw new KilnError('CONFIG_INVALID', `${file} does not evaluate to a dict`, {
      hint: 'A gyp file is one Python dict literal: { "targets": [...] }.',
    });
  }
  mergeIncludes(data, file, [...seen, file]);
  return data;
}

function mergeIncludes(dict: GypDict, file: string, seen: string[]): void {
  const includes = dict.includes;
  if (Array.isArray(includes)) {
    delete dict.includes;
    for (const inc of includes) {
      if (typeof inc !== 'string') continue;
      const incFile = path.resolve(path.dirname(file), inc);
      if (seen.includes(incFile)) continue;
      mergeDicts(dict, loadGypFile(incFile, seen), file, incFile);
    }
  }
  for (const v of Object.values(dict)) includesIn(v, file, seen);
}

function includesIn(v: GypValue, file: string, seen: string[]): void {
  if (isDict(v)) mergeIncludes(v, file, seen);
  else if (Array.isArray(v)) for (const x of v) includesIn(x, file, seen);
}

const PATH_SECTIONS = new Set([
  'destination',
  'files',
  'include_dirs',
  'inputs',
  'libraries',
  'outputs',
  'sources',
]);

/** gyp's IsPathSection: these keys hold paths relative to the file that wrote them. */
export function isPathSection(key: string): boolean {
  const k = key.replace(/[=+?!]$/, '');
  return PATH_SECTIONS.has(k) || /_(dir|dirs|file|files|path|paths)$/.test(k);
}

/** gyp's MakePathRelative: rebases a relative path from `fro`'s folder to `to`'s. */
function rebase(to: string, fro: string, item: string): string {
  if (to === fro || /^["']?[-/$<>^]/.test(item) || path.isAbsolute(item)) return item;
  const rel = path.relative(path.dirname(to), path.dirname(fro));
  let out = path.posix.normalize(path.join(rel, item).split(path.sep).join('/'));
  if (item.endsWith('/') && !out.endsWith('/')) out += '/';
  return out;
}

function clone<T extends GypValue>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (isDict(v)) {
    const out: GypDict = Object.create(null);
    for (const [k, x] of Object.entries(v)) out[k] = clone(x);
    return out as T;
  }
  return v;
}

/** gyp's MergeLists: strings not starting with `-` are kept once; flags may repeat. */
function mergeLists(
  to: GypValue[],
  fro: GypValue[],
  toFile: string,
  froFile: string,
  isPaths: boolean,
  append: boolean,
): void {
  const items: GypValue[] = [];
  for (const item of fro) {
    let value: GypValue = item;
    let singleton = false;
    if (typeof item === 'string' || typeof item === 'number') {
      if (isPaths && typeof item === 'string') value = rebase(toFile, froFile, item);
      singleton = !(typeof item === 'string' && item.startsWith('-'));
    } else value = clone(item);
    if (singleton && (to.includes(value) || items.includes(value))) continue;
    items.push(value);
  }
  if (append) to.push(...items);
  else to.unshift(...items);
}

/** gyp's MergeDicts, with the `=` (replace), `+` (prepend) and `?` (if absent) list suffixes. */
export function mergeDicts(to: GypDict, fro: GypDict, toFile: string, froFile: string): void {
  for (const [k, v] of Object.entries(fro)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) {
      to[k] = typeof v === 'string' && isPathSection(k) ? rebase(toFile, froFile, v) : v;
    } else if (isDict(v)) {
      const existing = to[k];
      if (!isDict(existing)) to[k] = Object.create(null);
      mergeDicts(to[k] as GypDict, v, toFile, froFile);
    } else {
      const ext = k.at(-1);
      let base = k;
      let append = true;
      if (ext === '=' || ext === '+' || ext === '?') {
        base = k.slice(0, -1);
        if (ext === '?' && base in to) continue;
        if (ext === '=') to[base] = [];
        if (ext === '+') append = false;
      }
      if (!Array.isArray(to[base])) to[base] = [];
      mergeLists(to[base] as GypValue[], v, toFile, froFile, isPathSection(base), append);
    }
  }
}

/** Expands variables and commands and applies `conditions`, in place, as gyp's early phase does. */
export class Expander {
  constructor(
    readonly file: string,
    readonly notes: LoadNotes,
    readonly platformVars: ReadonlySet<string> = new Set(['OS', 'target_arch']),
  ) {}

  processDict(dict: GypDict, inherited: ReadonlyMap<string, GypValue>, dictKey?: string): void {
    let vars = new Map(inherited);
    const own = dict.variables;
    if (isDict(own)) {
      for (const [k, v] of Object.entries(own)) if (!k.endsWith('%') && !isDict(v)) vars.set(k, v);
      this.processDict(own, vars, 'variables');
    }
    vars = this.loadVariables(inherited, dict, dictKey);
    for (const [k, v] of Object.entries(dict)) {
      if (k !== 'variables' && typeof v === 'string') dict[k] = this.expandString(v, vars);
    }
    vars = this.loadVariables(inherited, dict, dictKey);
    this.processConditions(dict, vars);
    vars = this.loadVariables(inherited, dict, dictKey);
    for (const [k, v] of Object.entries(dict)) {
      if (k === 'variables' || typeof v === 'string') continue;
      if (isDict(v)) this.processDict(v, vars, k);
      else if (Array.isArray(v)) dict[k] = this.processList(v, vars);
    }
  }

  private loadVariables(
    inherited: ReadonlyMap<string, GypValue>,
    dict: GypDict,
    dictKey: string | undefined,
  ): Map<string, GypValue> {
    const vars = new Map(inherited);
    // gyp's automatic variables: `<(_target_name)`, `<@(_outputs)` name the dict's own keys.
    for (const [k, v] of Object.entries(dict)) {
      if (
        k !== 'variables' &&
        (typeof v === 'string' || typeof v === 'number' || Array.isArray(v))
      ) {
        vars.set(`_${k}`, v);
      }
    }
    const own = dict.variables;
    if (!isDict(own)) return vars;
    for (const [k, v] of Object.entries(own)) {
      if (!(typeof v === 'string' || typeof v === 'number' || Array.isArray(v))) continue;
      if (k.endsWith('%')) {
        const name = k.slice(0, -1);
        if (vars.has(name)) continue;
        const value = dictKey === 'variables' && name in dict ? dict[name]! : v;
        vars.set(name, value);
      } else vars.set(k, v);
    }
    return vars;
  }

  private processList(list: GypValue[], vars: ReadonlyMap<string, GypValue>): GypValue[] {
    const out: GypValue[] = [];
    for (const item of list) {
      if (typeof item === 'string') {
        const v = this.expandString(item, vars);
        if (Array.isArray(v)) out.push(...v);
        else out.push(v);
      } else if (isDict(item)) {
        this.processDict(item, vars);
        out.push(item);
      } else if (Array.isArray(item)) out.push(this.processList(item, vars));
      else out.push(item);
    }
    return out;
  }

  private processConditions(dict: GypDict, vars: ReadonlyMap<string, GypValue>): void {
    const conditions = dict.conditions;
    if (!Array.isArray(conditions)) return;
    delete dict.conditions;
    for (const cond of conditions) {
      if (!Array.isArray(cond)) continue;
      let chosen: GypDict | undefined;
      let i = 0;
      let failed = false;
      for (; i + 1 < cond.length; i += 2) {
        const expr = cond[i];
        if (typeof expr !== 'string') break;
        const r = this.evalSingle(expr, vars, cond);
        if (r === undefined) {
          failed = true;
          break;
        }
        if (r) {
          chosen = cond[i + 1] as GypDict;
          break;
        }
      }
      if (failed) continue;
      if (!chosen && i === cond.length - 1 && isDict(cond[i])) chosen = cond[i] as GypDict;
      if (!chosen || !isDict(chosen)) continue;
      const branch = clone(chosen);
      this.processDict(branch, vars);
      mergeDicts(dict, branch, this.file, this.file);
    }
  }

  /** True/false, or undefined when the condition could not be evaluated (then noted as a TODO). */
  private evalSingle(
    expr: string,
    vars: ReadonlyMap<string, GypValue>,
    cond: GypValue[],
  ): boolean | undefined {
    try {
      const expanded = this.expandString(expr, vars);
      if (typeof expanded !== 'string' || expanded.includes(MARK)) {
        throw new Error('it runs a command that was not evaluated');
      }
      const result = evalCondition(expanded, vars);
      if (!result && this.mentionsPlatform(expr)) this.notes.otherPlatforms.push(expr);
      return result;
    } catch (err) {
      const why =
        err instanceof UndefinedName
          ? `${err.message} (define it in variables)`
          : (err as Error).message;
      this.notes.todos.push({
        file: this.file,
        what: `a condition Kiln could not evaluate: ${why}`,
        gyp: formatGyp(cond),
      });
      return undefined;
    }
  }

  private mentionsPlatform(expr: string): boolean {
    return [...this.platformVars].some((v) => new RegExp(`\\b${v}\\b`).test(expr));
  }

  /**
   * gyp's ExpandVariables for `<(var)`, `<@(var)`, `<!(cmd)`, `<!@(cmd)` (and the late `>` forms,
   * which name the same variables here). A list comes back only for an `@` form that is the whole
   * string.
   */
  expandString(input: string, vars: ReadonlyMap<string, GypValue>): GypValue {
    let s = input;
    for (let guard = 0; guard < 100; guard++) {
      const m = /([<>^])(!?@?)\(/.exec(s);
      if (!m) return s;
      const start = m.index;
      const open = start + m[0].length - 1;
      const close = matchingParen(s, open);
      if (close < 0) return s;
      let content = s.slice(open + 1, close);
      const isCommand = m[2]!.startsWith('!');
      const isList = m[2]!.endsWith('@');
      // Variables inside a command or a name are expanded first, as gyp does.
      const inner = this.expandString(content, vars);
      content = Array.isArray(inner) ? inner.join(' ') : String(inner);
      let value: GypValue;
      if (isCommand) value = this.runCommand(content, isList);
      else {
        const name = content.trim();
        if (!vars.has(name)) {
          // gyp stops here; the conversion goes on without the string and says so.
          this.notes.todos.push({
            file: this.file,
            what: `undefined variable ${name} (define it in "variables"); this string is left out`,
            gyp: formatGyp(input),
          });
          return marker({ kind: 'unexpanded', command: input });
        }
        value = vars.get(name)!;
      }
      const whole = start === 0 && close === s.length - 1;
      if (isList && whole) {
        const list = Array.isArray(value)
          ? value
          : typeof value === 'string'
            ? value.split(/\s+/).filter(Boolean)
            : [value];
        return list.flatMap((x) =>
          typeof x === 'string' ? this.expandString(x, vars) : x,
        ) as GypValue[];
      }
      const text = Array.isArray(value) ? value.join(' ') : value === null ? '' : String(value);
      if (whole && !isList && typeof value === 'number') return value;
      s = s.slice(0, start) + text + s.slice(close + 1);
      if (text.includes(MARK)) return s;
    }
    return s;
  }

  private runCommand(command: string, isList: boolean): GypValue {
    const addonApi =
      /require\(\s*['"]node-addon-api['"]\s*\)\.(include_dir|include|gyp|targets)\b/.exec(command);
    if (addonApi && /^\s*node\s/.test(command)) {
      const what =
        addonApi[1] === 'include_dir' ? 'include' : (addonApi[1] as 'include' | 'gyp' | 'targets');
      return marker({ kind: 'node-addon-api', what });
    }
    const pkg =
      /^\s*pkg-config\s+([^|;&<>`$]*?)\s*(\|\s*sed\s+(?:-e\s+)?['"]?s\/-I\/\/g['"]?\s*)?$/.exec(
        command,
      );
    if (pkg) {
      const words = splitShellWords(pkg[1]!, command);
      const names = words.filter((w) => !w.startsWith('-'));
      const flags = words.filter((w) => w.startsWith('-'));
      if (names.length > 0 && flags.every((f) => /^--(cflags|libs|static)/.test(f))) {
        const what = flags.some((f) => f.startsWith('--libs')) ? 'libs' : 'cflags';
        return marker({ kind: 'pkg-config', names, what });
      }
    }
    if (needsShell(command)) {
      this.notes.todos.push({
        file: this.file,
        what: 'a command expansion that needs a shell (Kiln runs no shell); its result is left out',
        gyp: `<!${isList ? '@' : ''}(${command})`,
      });
      return marker({ kind: 'unexpanded', command });
    }
    const argv = splitShellWords(command, `the command <!(${command}) in ${this.file}`);
    const program = argv[0] === 'node' ? process.execPath : argv[0]!;
    const r = spawnSync(program, argv.slice(1), { cwd: path.dirname(this.file), encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      const why = r.error ? r.error.message : `exit status ${r.status}: ${errorLine(r.stderr)}`;
      this.notes.todos.push({
        file: this.file,
        what: `a command expansion that failed at init time (${why}); its result is left out`,
        gyp: `<!${isList ? '@' : ''}(${command})`,
      });
      return marker({ kind: 'unexpanded', command });
    }
    const output = r.stdout.replace(/\s+$/, '');
    this.notes.evaluated.push({ file: this.file, command, output });
    return isList ? output.split(/\s+/).filter(Boolean) : output;
  }
}

/** The line of a failed command's stderr that says what went wrong (Node prints a stack first). */
function errorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => /^\w*Error:/.test(l)) ?? lines.find((l) => /error/i.test(l)) ?? lines[0] ?? ''
  );
}

function matchingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Unquoted shell syntax (pipes, redirections, `$`, globs, `;`, `&&`): not one program and its words. */
export function needsShell(command: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      else if (quote === '"' && (c === '$' || c === '`')) return true;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if ('|&;<>()$`*?[]{}~'.includes(c)) return true;
  }
  return false;
}
