import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';
import { relativeInside } from '../util/paths.js';
import {
  Expander,
  hostPlatform,
  type LoadNotes,
  loadGypFile,
  MARK,
  type Marker,
  mergeDicts,
  nodeGypVariables,
  type Platform,
  readMarker,
} from './load.js';
import { formatGyp, type GypDict, type GypValue, isDict } from './parse.js';

/** One Kiln step made from a gyp target. */
interface Step {
  key: string;
  file: string;
  targetName: string;
  varName: string;
  plugin: 'cc' | 'addon' | undefined;
  options: Record<string, unknown>;
  /** Variable names of the steps and pkgConfig() calls it links, in order. */
  link: string[];
  deps: string[];
  todos: string[];
  /** Settings it hands to targets depending on it (gyp's direct/all_dependent_settings). */
  exported: { settings: GypDict; all: boolean }[];
  /** link_settings / libraries of a static library, which gyp applies to the final link. */
  linkSettings: GypDict[];
  ownLink?: GypDict;
}

export interface ConversionResult {
  /** The generated build.config.ts. */
  text: string;
  /** Lines of the summary printed by `kiln init`. */
  converted: string[];
  needsHand: string[];
  /** Each target as read (includes, defaults, conditions, dependency settings applied), for checking against gyp. */
  targets: { file: string; name: string; gyp: GypDict }[];
}

const COMPILABLE = /\.(c|cc|cpp|cxx|c\+\+|C|s|S|sx|asm)$/;
const NODE_HEADERS =
  /#\s*include\s*[<"](node\.h|v8\.h|uv\.h|nan\.h|node_buffer\.h|node_object_wrap\.h|node_version\.h)[>"]/;

/**
 * Converts a binding.gyp (and the `.gyp`/`.gypi` files it reaches) into a build.config.ts.
 * Conditions are evaluated at init time for the host's OS and arch (the platform `kiln init`
 * runs on), like `<!(...)` commands: the generated config is a plain list of steps for this
 * platform, and the conditions not taken are listed in its header comment.
 */
export function convertBindingGyp(
  root: string,
  gypFile: string,
  platform = hostPlatform(),
): ConversionResult {
  const c = new Converter(root, platform);
  c.loadFile(path.resolve(root, gypFile));
  return c.render(path.relative(root, path.resolve(root, gypFile)));
}

class Converter {
  readonly notes: LoadNotes = { evaluated: [], todos: [], otherPlatforms: [] };
  readonly steps = new Map<string, Step>();
  readonly files = new Map<string, GypDict>();
  readonly pkgConfigs = new Map<string, string>();
  readonly order: string[] = [];
  readonly vars: Map<string, GypValue>;
  readonly notesByStep = new Map<string, string[]>();
  readonly processed: ConversionResult['targets'] = [];
  readonly pending = new Map<string, GypDict>();

  constructor(
    readonly root: string,
    readonly platform: Platform,
  ) {
    this.vars = nodeGypVariables(root, platform);
  }

  loadFile(file: string): GypDict {
    const cached = this.files.get(file);
    if (cached) return cached;
    const data = loadGypFile(file);
    const expander = new Expander(file, this.notes);
    expander.processDict(data, this.vars);
    this.files.set(file, data);
    const targets = Array.isArray(data.targets) ? data.targets.filter(isDict) : [];
    const defaults = isDict(data.target_defaults) ? data.target_defaults : undefined;
    // All of the file's targets are known before any is converted: a dependency may come later.
    const mine: [string, GypDict][] = [];
    for (const raw of targets) {
      const target: GypDict = Object.create(null);
      if (defaults) mergeDicts(target, defaults, file, file);
      mergeDicts(target, raw, file, file);
      const key = `${file}:${String(target.target_name ?? '')}`;
      this.pending.set(key, target);
      mine.push([key, target]);
    }
    for (const [key, target] of mine) if (!this.steps.has(key)) this.addTarget(file, target);
    for (const key of Object.keys(data)) {
      if (!['targets', 'target_defaults', 'variables', 'includes', 'conditions'].includes(key)) {
        this.todo(undefined, file, `top-level "${key}" is not used by Kiln`, data[key]!, key);
      }
    }
    return data;
  }

  private todo(
    step: Step | undefined,
    file: string,
    what: string,
    value: GypValue,
    key?: string,
  ): void {
    const rel = path.relative(this.root, file);
    const gyp = key === undefined ? formatGyp(value) : `'${key}': ${formatGyp(value)}`;
    const text = `${what} (${rel})\n${gyp}`;
    if (step) step.todos.push(text);
    else this.notes.todos.push({ file, what, gyp });
  }

  private rel(file: string, p: string): string {
    const abs = path.resolve(path.dirname(file), p);
    const r = relativeInside(this.root, abs);
    if (r === undefined) return abs;
    return r === '' ? '.' : r.split(path.sep).join('/');
  }

  private addTarget(file: string, t: GypDict): void {
    const name = String(t.target_name ?? '');
    const key = `${file}:${name}`;
    if (this.steps.has(key)) return;
    const configs = t.configurations;
    delete t.configurations;
    // node-gyp's addon.gypi makes a target without a type a loadable module.
    t.type ??= 'loadable_module';
    const type = String(t.type);
    const step: Step = {
      key,
      file,
      targetName: name,
      varName: '',
      plugin:
        type === 'static_library'
          ? 'cc'
          : ['shared_library', 'loadable_module'].includes(type)
            ? 'addon'
            : undefined,
      options: {},
      link: [],
      deps: [],
      todos: [],
      exported: [],
      linkSettings: [],
    };
    this.steps.set(key, step);
    for (const k of ['direct_dependent_settings', 'all_dependent_settings']) {
      const settings = t[k];
      if (isDict(settings)) step.exported.push({ settings, all: k.startsWith('all') });
    }
    if (isDict(t.link_settings)) step.ownLink = t.link_settings;
    if (step.plugin === 'cc' && (t.libraries || t.ldflags)) {
      step.linkSettings.push({ libraries: t.libraries ?? [], ldflags: t.ldflags ?? [] } as GypDict);
    }

    // Dependencies first, so their steps exist (and come first in the file).
    for (const dep of Array.isArray(t.dependencies) ? t.dependencies : []) {
      if (typeof dep !== 'string') continue;
      const m = dep.includes(MARK) ? readMarker(dep.slice(dep.indexOf(MARK))) : undefined;
      if (m?.kind === 'node-addon-api') {
        const which = dep.split(':').at(-1) ?? '';
        if (which.includes('except')) t['kiln:exceptions'] = true;
        if (which.includes('maybe')) t['kiln:maybe'] = true;
        continue;
      }
      if (m) {
        this.todo(step, file, 'a dependency named by a command Kiln did not run', dep);
        continue;
      }
      const colon = dep.lastIndexOf(':');
      const depFile =
        colon > 0 && dep.slice(0, colon).endsWith('.gyp')
          ? path.resolve(path.dirname(file), dep.slice(0, colon))
          : file;
      const depName =
        colon > 0 && dep.slice(0, colon).endsWith('.gyp') ? dep.slice(colon + 1) : dep;
      const depNameClean = depName.replace(/#.*$/, '');
      if (depFile !== file) {
        if (!existsSync(depFile)) {
          this.todo(
            step,
            file,
            `a dependency on ${path.relative(this.root, depFile)}, which does not exist`,
            dep,
          );
          continue;
        }
        this.loadFile(depFile);
      }
      const depKey = `${depFile}:${depNameClean}`;
      const later = this.pending.get(depKey);
      if (!this.steps.has(depKey) && later) this.addTarget(depFile, later);
      if (!this.steps.has(depKey)) {
        this.todo(
          step,
          file,
          `a dependency on ${depNameClean}, which ${path.relative(this.root, depFile)} does not define`,
          dep,
        );
        continue;
      }
      step.deps.push(depKey);
    }

    // What dependencies export, applied in gyp's order: all_dependent_settings of every
    // dependency, direct_dependent_settings of the direct ones, then, for a target that links,
    // the link_settings of itself and of the libraries linked into it.
    for (const depKey of this.deepDeps(step)) {
      const dep = this.steps.get(depKey)!;
      for (const { settings, all } of dep.exported)
        if (all) mergeDicts(t, clone(settings), file, dep.file);
    }
    for (const depKey of step.deps) {
      const dep = this.steps.get(depKey)!;
      for (const { settings, all } of dep.exported)
        if (!all) mergeDicts(t, clone(settings), file, dep.file);
    }
    if (['loadable_module', 'shared_library', 'executable'].includes(type)) {
      for (const s of this.linkDeps(step)) {
        if (s.ownLink) mergeDicts(t, clone(s.ownLink), file, s.file);
      }
    }
    // gyp's late phase: `target_conditions` (which may test `_type`), after dependent settings.
    const late = t.target_conditions;
    if (Array.isArray(late)) {
      delete t.target_conditions;
      t.conditions = late;
      new Expander(file, this.notes).processDict(t, this.vars);
    }
    // The Release configuration (Kiln's default profile), then the list filters, as gyp sets
    // them up.
    if (isDict(configs) && isDict(configs.Release)) mergeDicts(t, configs.Release, file, file);
    applyListFilters(t);
    this.processed.push({ file, name, gyp: t });

    for (const k of ['actions', 'rules', 'copies']) {
      if (t[k] !== undefined && !(Array.isArray(t[k]) && t[k].length === 0)) {
        this.todo(
          step,
          file,
          `${k}: Kiln does not run gyp ${k}; do this in build(ctx) (ctx.exec, fs) or a script`,
          t[k]!,
          k,
        );
      }
    }
    if (!step.plugin) {
      if (type !== 'none')
        this.todo(
          step,
          file,
          `target ${name} of type ${type}: Kiln builds addons and libraries`,
          type,
          'type',
        );
      this.order.push(key);
      return;
    }
    this.buildOptions(step, t);
    this.order.push(key);
  }

  /** gyp's DeepDependencies: every dependency, each after its own dependencies. */
  private deepDeps(step: Step): string[] {
    const out: string[] = [];
    const visit = (s: Step): void => {
      for (const d of s.deps) {
        if (out.includes(d)) continue;
        visit(this.steps.get(d)!);
        out.push(d);
      }
    };
    visit(step);
    return out;
  }

  /** gyp's link dependencies: the target, then the libraries linked into it (not other modules). */
  private linkDeps(step: Step): Step[] {
    const out: Step[] = [step];
    const visit = (s: Step): void => {
      for (const d of s.deps) {
        const dep = this.steps.get(d)!;
        if (out.includes(dep) || dep.plugin === 'addon') continue;
        out.push(dep);
        visit(dep);
      }
    };
    visit(step);
    return out;
  }

  /** Dependencies in link order: each target before what it depends on. */
  private transitiveDeps(step: Step): string[] {
    const out: string[] = [];
    const visit = (s: Step): void => {
      for (const d of s.deps) {
        if (out.includes(d)) continue;
        out.push(d);
        visit(this.steps.get(d)!);
      }
    };
    visit(step);
    return out;
  }

  private buildOptions(step: Step, t: GypDict): void {
    const file = step.file;
    const o: Record<string, unknown> = {};
    const notes: string[] = [];
    this.notesByStep.set(step.key, notes);
    const strings = (k: string): string[] =>
      (Array.isArray(t[k]) ? (t[k] as GypValue[]) : []).filter(
        (x): x is string => typeof x === 'string',
      );
    const markers: Marker[] = [];
    const plain = (list: string[]): string[] =>
      list.filter((s) => {
        const at = s.indexOf(MARK);
        if (at < 0) return true;
        const m = readMarker(s.slice(at));
        if (m) markers.push(m);
        return false;
      });

    const allSources = plain(strings('sources'));
    const sources = allSources.filter((s) => COMPILABLE.test(s)).map((s) => this.rel(file, s));
    const dropped = allSources.length - sources.length;
    if (dropped > 0) notes.push(`${dropped} header or non-source file(s) of "sources" left out`);
    const cxx = sources.some((s) => /\.(cc|cpp|cxx|c\+\+|C)$/.test(s));

    if (step.plugin === 'addon' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(step.targetName)) {
      step.todos.push(
        `the target name ${step.targetName} is not a C identifier, which addon() needs: pick a name and load that .node`,
      );
    }
    o.name =
      step.plugin === 'addon' ? step.targetName.replace(/[^A-Za-z0-9_]/g, '_') : step.targetName;
    if (sources.length === 0)
      step.todos.push(`target ${step.targetName} has no C/C++ sources to compile`);
    o.sources = sources.length > 0 ? sources : ['TODO'];

    const includes = plain(strings('include_dirs')).map((d) => this.rel(file, d));
    let headersNode = false;
    if (includes.some((d) => /(^|\/)node_modules\/nan$/.test(d))) headersNode = true;

    const defines = plain(strings('defines'));
    let exceptions: boolean | undefined;
    if (t['kiln:exceptions'] === true) exceptions = true;
    if (t['kiln:maybe'] === true) defines.push('NODE_ADDON_API_ENABLE_MAYBE');
    const keptDefines = defines.filter((d) => {
      if (d === 'NAPI_CPP_EXCEPTIONS' || d === 'NODE_ADDON_API_CPP_EXCEPTIONS') {
        exceptions = true;
        return false;
      }
      if (d === 'NAPI_DISABLE_CPP_EXCEPTIONS' || d === 'NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS') {
        exceptions = false;
        return false;
      }
      return true;
    });

    const removed = [...strings('cflags!'), ...strings('cflags_cc!')];
    if (removed.includes('-fno-exceptions')) exceptions = true;
    for (const r of removed) {
      if (r !== '-fno-exceptions') notes.push(`"cflags!" removes ${r}, which Kiln does not pass`);
    }
    let cStd: string | undefined;
    let cxxStd: string | undefined;
    const sortFlags = (list: string[], lang: 'any' | 'c' | 'c++'): string[] =>
      list.filter((f) => {
        const std = /^-std=(.+)$/.exec(f);
        if (std) {
          if (std[1]!.includes('++')) cxxStd = std[1];
          else if (lang !== 'c++') cStd = std[1];
          return false;
        }
        if (f === '-fexceptions') {
          exceptions = true;
          return false;
        }
        if (f === '-fno-exceptions') {
          exceptions = false;
          return false;
        }
        // Kiln compiles position-independent code itself.
        return f !== '-fPIC' && f !== '-fpic';
      });
    const flags = sortFlags(plain(strings('cflags')), 'any');
    const cFlags = sortFlags(plain(strings('cflags_c')), 'c');
    const cxxFlags = sortFlags(plain(strings('cflags_cc')), 'c++');
    const ldFlags = plain([...strings('ldflags'), ...strings('libraries')]).map((f) =>
      !f.startsWith('-') && /[/\\]/.test(f) ? this.rel(file, f) : f,
    );
    if (step.plugin === 'addon') {
      for (const depKey of this.transitiveDeps(step)) {
        for (const ls of this.steps.get(depKey)!.linkSettings) {
          const more = [
            ...(Array.isArray(ls.ldflags) ? ls.ldflags : []),
            ...(Array.isArray(ls.libraries) ? ls.libraries : []),
          ];
          ldFlags.push(...plain(more.filter((x): x is string => typeof x === 'string')));
        }
      }
    }

    // Settings for the other generators: only those of the platform converted for.
    if (this.platform.os === 'mac' && isDict(t.xcode_settings)) {
      const x = t.xcode_settings;
      if (x.GCC_ENABLE_CPP_EXCEPTIONS === 'YES') exceptions = true;
      if (x.GCC_ENABLE_CPP_EXCEPTIONS === 'NO') exceptions = false;
      if (typeof x.CLANG_CXX_LANGUAGE_STANDARD === 'string') cxxStd = x.CLANG_CXX_LANGUAGE_STANDARD;
      if (typeof x.GCC_C_LANGUAGE_STANDARD === 'string') cStd = x.GCC_C_LANGUAGE_STANDARD;
      const list = (k: string) =>
        Array.isArray(x[k])
          ? (x[k] as GypValue[]).filter((v): v is string => typeof v === 'string')
          : [];
      flags.push(
        ...sortFlags(
          list('OTHER_CFLAGS').flatMap((f) => f.split(/\s+/)),
          'any',
        ).filter((f) => f !== '-arch' && !/^(x86_64|arm64|i386)$/.test(f)),
      );
      cxxFlags.push(...sortFlags(list('OTHER_CPLUSPLUSFLAGS'), 'c++'));
      ldFlags.push(...list('OTHER_LDFLAGS').filter((f) => !f.startsWith('-arch')));
      if (typeof x.MACOSX_DEPLOYMENT_TARGET === 'string') {
        notes.push(
          `MACOSX_DEPLOYMENT_TARGET ${x.MACOSX_DEPLOYMENT_TARGET}: set MACOSX_DEPLOYMENT_TARGET in the environment or build with --target for that version`,
        );
      }
    }
    if (
      this.platform.os === 'win' &&
      isDict(t.msvs_settings) &&
      isDict(t.msvs_settings.VCCLCompilerTool)
    ) {
      const eh = t.msvs_settings.VCCLCompilerTool.ExceptionHandling;
      if (eh !== undefined) exceptions = String(eh) !== '0';
    }

    for (const m of markers) {
      if (m.kind === 'pkg-config') {
        for (const n of m.names) step.link.push(this.pkgConfigVar(n));
      } else if (m.kind === 'node-addon-api') {
        if (m.what === 'include')
          notes.push("node-addon-api's include dir: addon() adds it for C++ sources");
      } else {
        step.todos.push(
          `the result of \`${m.command}\` is left out (run at init time it needed a shell or failed)`,
        );
      }
    }
    for (const depKey of this.transitiveDeps(step)) {
      const dep = this.steps.get(depKey)!;
      if (dep.plugin === 'cc' && step.plugin === 'addon') step.link.push(depKey);
    }
    step.link = [...new Set(step.link)];

    if (step.plugin === 'addon') {
      headersNode ||= this.usesNodeHeaders([
        ...sources,
        ...allSources.filter((s) => !COMPILABLE.test(s)).map((s) => this.rel(file, s)),
      ]);
      if (headersNode) o.headers = 'node';
    }
    if (includes.length) o.includes = [...new Set(includes)];
    if (keptDefines.length) o.defines = keptDefines;
    const std = cxx && step.plugin === 'addon' ? (cxxStd ?? cStd) : (cStd ?? cxxStd);
    if (std) o.std = std;
    if (cxx && cStd && cxxStd)
      notes.push(`C sources were compiled with -std=${cStd}; std applies ${std}`);
    if (cFlags.length) {
      notes.push(`cflags_c (${cFlags.join(' ')}) applied to every source`);
      flags.push(...cFlags);
    }
    if (flags.length) o.flags = flags;
    if (cxxFlags.length && cxx) o.cxxFlags = cxxFlags;
    if (step.plugin === 'addon' && cxx && exceptions !== undefined) o.cxxExceptions = exceptions;
    if (ldFlags.length) {
      if (step.plugin === 'addon') o.ldFlags = [...ldFlags];
      else
        notes.push(`libraries/ldflags (${ldFlags.join(' ')}) go to the addon linking this library`);
    }
    step.options = o;
  }

  private usesNodeHeaders(files: string[]): boolean {
    for (const f of files) {
      const abs = path.resolve(this.root, f);
      try {
        if (NODE_HEADERS.test(readFileSync(abs, 'utf8'))) return true;
      } catch {}
    }
    return false;
  }

  private pkgConfigVar(name: string): string {
    const existing = this.pkgConfigs.get(name);
    if (existing) return existing;
    const v = identifier(name);
    this.pkgConfigs.set(name, v);
    return v;
  }

  render(gypRel: string): ConversionResult {
    const used = new Set<string>(['addon', 'cc', 'defineConfig', 'pkgConfig', 'root']);
    const unique = (base: string): string => {
      let v = base;
      for (let i = 2; used.has(v); i++) v = `${base}${i}`;
      used.add(v);
      return v;
    };
    const pcVars = new Map<string, string>();
    for (const v of this.pkgConfigs.values()) pcVars.set(v, unique(v));
    for (const key of this.order) {
      const s = this.steps.get(key)!;
      s.varName = unique(identifier(s.targetName));
    }
    const dependedOn = new Set<string>();
    for (const s of this.steps.values())
      for (const l of s.link) if (this.steps.has(l)) dependedOn.add(l);

    const out: string[] = [];
    const converted: string[] = [];
    const needsHand: string[] = [];
    const { os, arch } = this.platform;
    out.push(
      `// Written by \`kiln init\` from ${gypRel}, for ${os} ${arch}: gyp conditions on OS and`,
    );
    out.push(
      '// target_arch were evaluated for this platform, and command expansions were run once, here.',
    );
    if (this.notes.otherPlatforms.length) {
      out.push(
        '// Conditions not taken (other platforms): run `kiln init --from` there for their settings:',
      );
      for (const c of [...new Set(this.notes.otherPlatforms)]) out.push(`//   ${c}`);
    }
    for (const e of this.notes.evaluated) {
      out.push(
        `// Evaluated at init time in ${path.relative(this.root, path.dirname(e.file)) || '.'}: \`${e.command}\` → ${JSON.stringify(e.output)}`,
      );
      converted.push(`ran \`${e.command}\` once: ${JSON.stringify(e.output)}`);
    }
    const imports = new Set<string>(['defineConfig']);
    const body: string[] = [];
    const renderer = new Renderer(this.root);
    for (const [name] of this.pkgConfigs) {
      imports.add('pkgConfig');
      const v = pcVars.get(this.pkgConfigs.get(name)!)!;
      body.push(`const ${v} = pkgConfig(${quote(name)});`);
      converted.push(`pkg-config ${name} → pkgConfig(${quote(name)})`);
    }
    if (this.pkgConfigs.size) body.push('');
    const plugins: string[] = [];
    for (const key of this.order) {
      const s = this.steps.get(key)!;
      for (const t of s.todos) {
        needsHand.push(`${s.targetName}: ${t.split('\n')[0]}`);
        body.push(...commentBlock(`TODO(kiln): ${t}`));
      }
      for (const n of this.notesByStep.get(key) ?? []) body.push(`// ${n}`);
      if (!s.plugin) continue;
      imports.add(s.plugin);
      const opts = { ...s.options };
      const links = s.link.map((l) =>
        this.steps.has(l) ? this.steps.get(l)!.varName : pcVars.get(l)!,
      );
      const extra = links.length ? [`link: [${links.join(', ')}]`] : [];
      body.push(`const ${s.varName} = ${s.plugin}(${renderer.object(opts, extra)});`);
      body.push('');
      const srcCount = (opts.sources as string[]).length;
      converted.push(
        `${s.targetName} (${path.relative(this.root, s.file)}) → ${s.plugin}() with ${srcCount} source${srcCount === 1 ? '' : 's'}${links.length ? `, linking ${links.join(', ')}` : ''}`,
      );
      if (!dependedOn.has(key)) plugins.push(s.varName);
    }
    for (const t of this.notes.todos) {
      const what = `${t.what} (${path.relative(this.root, t.file)})`;
      needsHand.push(what);
      body.push(...commentBlock(`TODO(kiln): ${what}\n${t.gyp}`));
    }
    const order = ['addon', 'cc', 'defineConfig', 'pkgConfig'].filter((i) => imports.has(i));
    out.push(`import { ${order.join(', ')} } from 'kilnjs';`, '');
    if (renderer.usesRoot) {
      out.push('// The package folder, for the paths gyp wrote with <(module_root_dir).');
      out.push('const root = import.meta.dirname;', '');
    }
    out.push(...body);
    if (body.at(-1) !== '') out.push('');
    out.push('export default defineConfig({');
    out.push(`  plugins: [${plugins.join(', ')}],`);
    out.push('});', '');
    return { text: out.join('\n'), converted, needsHand, targets: this.processed };
  }
}

function commentBlock(text: string): string[] {
  return text.split('\n').map((l) => (l ? `// ${l}` : '//'));
}

function clone(d: GypDict): GypDict {
  return JSON.parse(JSON.stringify(d)) as GypDict;
}

/** gyp's `key!` (remove these) and `key/` (regex include/exclude) list filters. */
function applyListFilters(t: GypDict): void {
  for (const k of Object.keys(t)) {
    const v = t[k];
    if (k.endsWith('!') && Array.isArray(v)) {
      const base = k.slice(0, -1);
      if (Array.isArray(t[base])) t[base] = (t[base] as GypValue[]).filter((x) => !v.includes(x));
    } else if (k.endsWith('/') && Array.isArray(v)) {
      const base = k.slice(0, -1);
      const list = t[base];
      if (!Array.isArray(list)) continue;
      const keep = list.map(() => true);
      for (const rule of v) {
        if (!Array.isArray(rule) || rule.length !== 2) continue;
        const re = new RegExp(String(rule[1]));
        list.forEach((item, i) => {
          if (typeof item === 'string' && re.test(item)) keep[i] = rule[0] === 'include';
        });
      }
      t[base] = list.filter((_, i) => keep[i]);
      delete t[k];
    }
  }
}

function identifier(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let id = parts.map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join('');
  if (!id || /^\d/.test(id)) id = `t${id}`;
  return id;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/**
 * Renders option values as TypeScript. A string holding the package's absolute path (from
 * `<(module_root_dir)`) is written relative to the config's folder, so the config still works
 * when the package moves.
 */
class Renderer {
  usesRoot = false;
  constructor(readonly root: string) {}

  value(v: unknown, indent: string): string {
    if (typeof v === 'string') {
      if (!v.includes(this.root)) return quote(v);
      this.usesRoot = true;
      const parts = v.split(this.root).map((p) => p.replace(/[`\\$]/g, (c) => `\\${c}`));
      // The generated text holds a placeholder for the template literal it writes.
      const placeholder = ['$', '{root}'].join('');
      return `\`${parts.join(placeholder)}\``;
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) {
      const flat = `[${v.map((x) => this.value(x, indent)).join(', ')}]`;
      if (flat.length + indent.length <= 90) return flat;
      const inner = `${indent}  `;
      return `[\n${v.map((x) => `${inner}${this.value(x, inner)},`).join('\n')}\n${indent}]`;
    }
    return JSON.stringify(v);
  }

  object(o: Record<string, unknown>, extra: string[]): string {
    const lines = Object.entries(o).map(([k, v]) => `  ${k}: ${this.value(v, '  ')},`);
    for (const e of extra) lines.push(`  ${e},`);
    return `{\n${lines.join('\n')}\n}`;
  }
}

export function assertGypExists(file: string): void {
  if (!existsSync(file)) {
    throw new KilnError('USAGE', `${file} does not exist`, {
      hint: 'Pass the gyp file to convert: `kiln init --from binding.gyp`.',
    });
  }
}
