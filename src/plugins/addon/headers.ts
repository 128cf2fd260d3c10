import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import { declaredDependency, readPackageJson } from '../../util/package-json.js';

/**
 * Where Node-API headers come from: `auto` picks node-api-headers when the package's own
 * package.json declares it, else the running Node's.
 */
export type HeadersMode = 'auto' | 'node-api-headers' | 'node';

export interface NodeApiHeaders {
  /** `node-api-headers` (the npm package) or `node` (the running Node's `<prefix>/include/node`). */
  source: 'node-api-headers' | 'node';
  /** The folder holding `node_api.h` (and, for `node`, `node.h` and V8's headers). */
  includeDir: string;
  /** The package version or the Node version the headers belong to. */
  version: string;
  /** Why these headers: `devDependencies of package.json`, `headers: "node"`, ... */
  reason?: string | undefined;
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
 * The field of the package's own package.json that names `node-api-headers`, if one does (a copy
 * hoisted into node_modules by another package must not change what the addon compiles against).
 */
export function declaredNodeApiHeaders(root: string): string | undefined {
  const pkg = readPackageJson(
    root,
    'the addon step reads its dependencies to choose the Node-API headers',
  );
  return declaredDependency(pkg, 'node-api-headers');
}

/**
 * The Node-API headers to compile against, with no network: node-gyp downloads a headers tarball
 * for every Node version; Node-API addons need only the few headers that node-api-headers ships
 * or that a Node installation already has.
 *
 * `auto` is decided by the package's own package.json: node-api-headers when a dependency field
 * names it (resolved from the package root), else the running Node's `include/node`, whatever
 * happens to be installed in node_modules.
 *
 * @throws TOOL_NOT_FOUND naming the places looked at and how to provide the headers.
 */
export function findNodeApiHeaders(root: string, mode: HeadersMode = 'auto'): NodeApiHeaders {
  const declared = mode === 'auto' ? declaredNodeApiHeaders(root) : undefined;
  const usePackage = mode === 'node-api-headers' || declared !== undefined;
  if (usePackage) {
    const found = findNodeApiHeadersPackage(root);
    if (found) {
      return {
        ...found,
        reason: declared ? `${declared} of package.json` : 'headers: "node-api-headers"',
      };
    }
    throw new KilnError(
      'TOOL_NOT_FOUND',
      declared
        ? `Node-API headers not found: package.json declares node-api-headers (${declared}) but ${root} cannot resolve it`
        : `Node-API headers not found (addon headers: "${mode}")`,
      {
        details: `Looked at:\n  node-api-headers resolved from ${root} (not installed)`,
        hint: declared
          ? 'Run: npm install (the dependency is declared but not installed)'
          : 'Run: npm install --save-dev node-api-headers',
      },
    );
  }
  const fromNode = findRunningNodeHeaders();
  if (fromNode) {
    return {
      ...fromNode,
      reason:
        mode === 'node'
          ? 'headers: "node"'
          : 'the running Node (package.json does not declare node-api-headers)',
    };
  }
  throw new KilnError('TOOL_NOT_FOUND', `Node-API headers not found (addon headers: "${mode}")`, {
    details: `Looked at:\n  ${path.join(nodeIncludeDir(), 'node_api.h')} (missing)${
      mode === 'auto' ? '\n  package.json (does not declare node-api-headers)' : ''
    }`,
    hint:
      mode === 'node'
        ? 'Install Node from a full distribution (one with include/node), or use headers: "node-api-headers" after npm install --save-dev node-api-headers.'
        : 'Run: npm install --save-dev node-api-headers (or install Node from a full distribution, one with include/node).',
  });
}

// Headers that only a Node installation has (node-api-headers ships the Node-API ones only).
const NODE_ONLY_HEADER =
  /^(?:node(?:_buffer|_object_wrap|_version)?\.h|uv\.h|uv\/.+|v8(?:-[\w-]+|config|version)?\.h|cppgc\/.+|libplatform\/.+)$/;

/**
 * The Node-only header a compile could not find, from its diagnostics (gcc: `fatal error:
 * node.h: No such file or directory`; clang: `fatal error: 'node.h' file not found`).
 */
export function missingNodeOnlyHeader(diagnostics: string | undefined): string | undefined {
  for (const m of (diagnostics ?? '').matchAll(
    /fatal error: '?([^\s':]+)'?(?:: No such file or directory| file not found)/g,
  )) {
    if (NODE_ONLY_HEADER.test(m[1]!)) return m[1];
  }
  return undefined;
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
  let source: NodeApiHeaders['source'] | undefined;
  try {
    source = findNodeApiHeaders(root, 'auto').source;
  } catch {
    source = undefined;
  }
  // The same objects as the fields above, so a caller can tell which one `auto` is.
  const auto = source === 'node-api-headers' ? nodeApiHeaders : source ? runningNode : undefined;
  return { nodeApiHeaders, runningNode, nodeAddonApi: findNodeAddonApi(root), auto };
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
