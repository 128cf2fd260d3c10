import path from 'node:path';
import type { Directive } from './directive.js';
import {
  type Artifact,
  emptyLinkInfo,
  envDirectiveProblem,
  type LinkInfo,
  MANIFEST_SCHEMA_VERSION,
  type Manifest,
} from './schema.js';

export interface ManifestHeader {
  package: Manifest['package'];
  target: string;
  profile: string;
  kilnVersion: string;
}

/**
 * Collects directives in the order they were emitted (link order matters: a library comes
 * after what needs it) and drops exact repeats, which arise when two steps link one library.
 */
/** A manifest with the header and nothing in it yet. */
export function emptyManifest(header: ManifestHeader): Manifest {
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    ...header,
    ...emptyLinkInfo(),
    cfg: [],
    env: {},
    metadata: {},
    artifacts: [],
    inputs: { files: [], env: [] },
    warnings: [],
  };
}

export class ManifestBuilder {
  private readonly m: Manifest;
  private readonly seen = new Set<string>();

  constructor(header: ManifestHeader) {
    this.m = emptyManifest(header);
  }

  /** Applies a directive. rerun-if-* and error are handled by the context, not stored here. */
  add(d: Directive): void {
    switch (d.type) {
      case 'link-lib': {
        const { type: _t, ...lib } = d;
        // A library named again moves to the end, as pkgconf keeps the last -l: whatever needs
        // it was added in between, and must come before it on the link line.
        const key = `${lib.kind}:${lib.name}:${lib.path ?? ''}`;
        const at = this.m.libs.findIndex((l) => `${l.kind}:${l.name}:${l.path ?? ''}` === key);
        if (at >= 0) this.m.libs.splice(at, 1);
        this.m.libs.push(lib);
        break;
      }
      // Relative paths are the package's (as ctx.emit has them), never the process's cwd: a
      // programmatic build({ cwd }) runs from anywhere.
      case 'link-search': {
        const dir = path.resolve(this.m.package.root, d.path);
        this.push('searchPaths', { kind: d.kind, path: dir }, `${d.kind}:${dir}`);
        break;
      }
      case 'include': {
        const dir = path.resolve(this.m.package.root, d.path);
        this.push('includes', dir, dir);
        break;
      }
      case 'define':
        this.push(
          'defines',
          d.value === undefined ? { name: d.name } : { name: d.name, value: d.value },
          `${d.name}=${d.value}`,
        );
        break;
      case 'cfg':
        this.push(
          'cfg',
          d.value === undefined ? { name: d.name } : { name: d.name, value: d.value },
          `${d.name}=${d.value}`,
        );
        break;
      case 'cflag':
        this.m.cflags.push(d.flag);
        break;
      case 'link-arg':
        this.m.ldflags.push(d.flag);
        break;
      case 'rpath':
        this.push('rpaths', d.path, d.path);
        break;
      case 'env': {
        // Directive lines are checked when parsed; this catches ctx.emit and plugins.
        const problem = envDirectiveProblem(d.name, d.value, "ctx.emit({ type: 'env' })");
        if (problem) throw problem;
        this.m.env[d.name] = d.value;
        break;
      }
      case 'metadata':
        this.m.metadata[d.key] = d.value;
        break;
      case 'warning':
        // Stored without the presentation details (step, count, colour) the event carries; a
        // warning repeated word for word (two arches of one step) is kept once.
        if (!this.m.warnings.includes(d.message)) this.m.warnings.push(d.message);
        break;
      case 'rerun-if-changed':
      case 'rerun-if-env-changed':
      case 'error':
        break;
    }
  }

  addLink(info: LinkInfo): void {
    for (const dir of info.includes) this.add({ type: 'include', path: dir });
    for (const def of info.defines) this.add({ type: 'define', ...def });
    for (const flag of info.cflags) if (!this.m.cflags.includes(flag)) this.m.cflags.push(flag);
    for (const sp of info.searchPaths) this.add({ type: 'link-search', ...sp });
    for (const lib of info.libs) this.add({ type: 'link-lib', ...lib });
    for (const flag of info.ldflags) if (!this.m.ldflags.includes(flag)) this.m.ldflags.push(flag);
    for (const rp of info.rpaths) this.add({ type: 'rpath', path: rp });
  }

  addArtifact(a: Artifact): void {
    this.push('artifacts', a, `${a.kind}:${a.path}`);
  }

  finish(inputs: Manifest['inputs']): Manifest {
    return { ...this.m, inputs };
  }

  private push<
    K extends 'libs' | 'searchPaths' | 'includes' | 'defines' | 'cfg' | 'rpaths' | 'artifacts',
  >(field: K, value: Manifest[K][number], key: string): void {
    const k = `${field}\0${key}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    (this.m[field] as Manifest[K][number][]).push(value);
  }
}
