import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { KilnError } from '../../errors.js';

/** Where Node-API headers come from: `auto` picks node-api-headers when the package has it, else the running Node's. */
export type HeadersMode = 'auto' | 'node-api-headers' | 'node';

export interface NodeApiHeaders {
  /** `node-api-headers` (the npm package) or `node` (the running Node's `<prefix>/include/node`). */
  source: 'node-api-headers' | 'node';
  /** The folder holding `node_api.h` (and, for `node`, `node.h` and V8's headers). */
  includeDir: string;
  /** The package version or the Node version the headers belong to. */
  version: string;
}

/** `<prefix>/include/node` of the Node running Kiln: official tarballs and distro packages ship it. */
export function nodeIncludeDir(execPath: string = process.execPath): string {
  return path.resolve(execPath, '..', '..', 'include', 'node');
}

/**
 * The `node-api-headers` package as the package being built resolves it (its own node_modules,
 * then its parents', like `require` does), or undefined when it does not depend on it.
 */
export function findNodeApiHeadersPackage(root: string): NodeApiHeaders | undefined {
  const pkgJson = resolveFrom(root, 'node-api-headers/package.json');
  if (!pkgJson) return undefined;
  const includeDir = path.join(path.dirname(pkgJson), 'include');
  if (!existsSync(path.join(includeDir, 'node_api.h'))) return undefined;
  return { source: 'node-api-headers', includeDir, version: readVersion(pkgJson) };
}

/** The running Node's headers, or undefined when its prefix has no `include/node/node_api.h`. */
export function findRunningNodeHeaders(
  execPath: string = process.execPath,
): NodeApiHeaders | undefined {
  const includeDir = nodeIncludeDir(execPath);
  if (!existsSync(path.join(includeDir, 'node_api.h'))) return undefined;
  return { source: 'node', includeDir, version: process.version };
}

/**
 * The Node-API headers to compile against, with no network: node-gyp downloads a headers tarball
 * for every Node version (node-gyp#2736, #1247); Node-API addons need only the few headers that
 * node-api-headers ships or that a Node installation already has.
 *
 * @throws TOOL_NOT_FOUND naming the places looked at and how to provide the headers.
 */
export function findNodeApiHeaders(root: string, mode: HeadersMode = 'auto'): NodeApiHeaders {
  const fromPackage = mode === 'node' ? undefined : findNodeApiHeadersPackage(root);
  if (fromPackage) return fromPackage;
  const fromNode = mode === 'node-api-headers' ? undefined : findRunningNodeHeaders();
  if (fromNode) return fromNode;
  const looked: string[] = [];
  if (mode !== 'node') looked.push(`node-api-headers resolved from ${root} (not installed)`);
  if (mode !== 'node-api-headers')
    looked.push(`${path.join(nodeIncludeDir(), 'node_api.h')} (missing)`);
  throw new KilnError('TOOL_NOT_FOUND', `Node-API headers not found (addon headers: "${mode}")`, {
    details: `Looked at:\n  ${looked.join('\n  ')}`,
    hint:
      mode === 'node'
        ? 'Install Node from a full distribution (one with include/node), or use headers: "node-api-headers" after npm install --save-dev node-api-headers.'
        : 'Run: npm install --save-dev node-api-headers',
  });
}

/** node-addon-api's folder (napi.h) when the package can resolve it, for C++ addons. */
export function findNodeAddonApi(root: string): string | undefined {
  const pkgJson = resolveFrom(root, 'node-addon-api/package.json');
  if (!pkgJson) return undefined;
  const dir = path.dirname(pkgJson);
  return existsSync(path.join(dir, 'napi.h')) ? dir : undefined;
}

/** What `kiln doctor` reports about headers for the package at `root`. */
export interface HeaderReport {
  nodeApiHeaders: NodeApiHeaders | undefined;
  runningNode: NodeApiHeaders | undefined;
  nodeAddonApi: string | undefined;
  /** What `headers: 'auto'` would use. */
  auto: NodeApiHeaders | undefined;
}

export function headerReport(root: string): HeaderReport {
  const nodeApiHeaders = findNodeApiHeadersPackage(root);
  const runningNode = findRunningNodeHeaders();
  return {
    nodeApiHeaders,
    runningNode,
    nodeAddonApi: findNodeAddonApi(root),
    auto: nodeApiHeaders ?? runningNode,
  };
}

function resolveFrom(root: string, request: string): string | undefined {
  try {
    return createRequire(path.join(root, 'package.json')).resolve(request);
  } catch (error) {
    // Only "not installed" means absent; a broken package.json must surface.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw error;
  }
}

function readVersion(pkgJson: string): string {
  const req = createRequire(pkgJson);
  const pkg = req(pkgJson) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
