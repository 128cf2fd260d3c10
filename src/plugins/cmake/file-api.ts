import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import { isInside } from '../../util/fs.js';
import { writeIfChanged } from './write.js';

/** Kiln's client name: CMake answers under `reply["client-kiln"]`. */
const CLIENT = 'client-kiln';

/** The kinds Kiln asks for (cmake-file-api(7)); all exist since 3.14 (toolchains 3.20). */
const REQUESTS = [
  { kind: 'codemodel', version: 2 },
  { kind: 'cmakeFiles', version: 1 },
  { kind: 'cache', version: 2 },
  { kind: 'toolchains', version: 1 },
];

/**
 * Writes the stateful query. It must exist before the configure that should answer it (the
 * reply is written at generate time), and CMake keeps answering it on every re-run.
 */
export async function writeQuery(buildDir: string): Promise<void> {
  const file = path.join(buildDir, '.cmake', 'api', 'v1', 'query', CLIENT, 'query.json');
  await writeIfChanged(file, `${JSON.stringify({ requests: REQUESTS })}\n`);
}

// The subset of the reply objects Kiln reads (field names as in cmake-file-api(7)).
export interface CodemodelTargetRef {
  name: string;
  id: string;
  directoryIndex: number;
  jsonFile: string;
}
export interface CodemodelDirectoryRef {
  source: string;
  build: string;
  hasInstallRule?: boolean;
  jsonFile?: string;
}
export interface Codemodel {
  paths: { source: string; build: string };
  configurations: {
    name: string;
    directories: CodemodelDirectoryRef[];
    targets: CodemodelTargetRef[];
  }[];
}
export interface CommandFragment {
  fragment: string;
  role: 'flags' | 'libraries' | 'libraryPath' | 'frameworkPath';
}
export interface TargetObject {
  name: string;
  id: string;
  type: string;
  nameOnDisk?: string;
  artifacts?: { path: string }[];
  link?: { language?: string; commandFragments?: CommandFragment[] };
  dependencies?: { id: string }[];
  sources: { path: string; isGenerated?: boolean }[];
  compileGroups?: {
    language?: string;
    includes?: { path: string; isSystem?: boolean }[];
    defines?: { define: string }[];
  }[];
  install?: { prefix: { path: string }; destinations: { path: string }[] };
}
export interface Installer {
  type: string;
  destination?: string;
  paths?: (string | { from: string; to: string })[];
  targetId?: string;
  targetIndex?: number;
  targetInstallNamelink?: 'skip' | 'only';
  targetIsImportLibrary?: boolean;
  isExcludeFromAll?: boolean;
}
export interface DirectoryObject {
  installers?: Installer[];
}
export interface CmakeFilesObject {
  paths: { source: string; build: string };
  inputs: { path: string; isGenerated?: boolean; isExternal?: boolean; isCMake?: boolean }[];
}
export interface CacheObject {
  entries: { name: string; value: string; type: string }[];
}
export interface ToolchainsObject {
  toolchains: {
    language: string;
    compiler: {
      path?: string;
      id?: string;
      implicit?: { includeDirectories?: string[]; linkLibraries?: string[] };
    };
  }[];
}

/** One read of the current reply: the codemodel for the chosen configuration and its objects. */
export interface Reply {
  replyDir: string;
  generator: string;
  cmakeVersion: string;
  codemodel: Codemodel;
  configuration: Codemodel['configurations'][number];
  targets: TargetObject[];
  directories: (DirectoryObject | undefined)[];
  cmakeFiles: CmakeFilesObject | undefined;
  cache: CacheObject | undefined;
  toolchains: ToolchainsObject | undefined;
}

interface Ref {
  kind?: string;
  jsonFile?: string;
  error?: string;
}

/**
 * Reads the reply for `buildType`. The current index is the lexicographically largest
 * `index-*.json`; reply files are never rewritten in place, so a vanished file means a
 * concurrent CMake replaced the reply: start again from the index (once).
 */
export async function readReply(buildDir: string, buildType: string): Promise<Reply> {
  try {
    return await readReplyOnce(buildDir, buildType);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return readReplyOnce(buildDir, buildType);
    throw error;
  }
}

async function readReplyOnce(buildDir: string, buildType: string): Promise<Reply> {
  const replyDir = path.join(buildDir, '.cmake', 'api', 'v1', 'reply');
  const names = await readdir(replyDir).catch(() => [] as string[]);
  const index = names
    .filter((n) => /^index-.*\.json$/.test(n))
    .sort()
    .at(-1);
  if (!index) {
    throw new KilnError('CMAKE_FILE_API', `CMake wrote no File API reply in ${replyDir}`, {
      hint: 'The configure step ran but CMake did not answer the File API query; delete the build folder and build again, or report this with your CMake version.',
    });
  }
  const read = async <T>(file: string): Promise<T> =>
    JSON.parse(await readFile(path.join(replyDir, file), 'utf8')) as T;
  const idx = await read<{
    cmake: { version: { string: string }; generator: { name: string } };
    reply: Record<string, unknown>;
  }>(index);
  const client = (idx.reply[CLIENT] ?? {}) as { 'query.json'?: { responses?: Ref[] } };
  const responses = client['query.json']?.responses ?? [];
  const byKind = new Map<string, Ref>();
  for (const r of responses) if (r.kind && r.jsonFile) byKind.set(r.kind, r);
  const codemodelRef = byKind.get('codemodel');
  if (!codemodelRef?.jsonFile) {
    throw new KilnError(
      'CMAKE_FILE_API',
      `CMake's File API reply ${index} has no codemodel answer`,
      {
        details: JSON.stringify(responses).slice(0, 800),
        hint: 'Kiln needs CMake 3.21 or newer; check `cmake --version`.',
      },
    );
  }
  const codemodel = await read<Codemodel>(codemodelRef.jsonFile);
  const configuration =
    codemodel.configurations.find((c) => c.name === buildType) ?? codemodel.configurations[0];
  if (!configuration) {
    throw new KilnError(
      'CMAKE_FILE_API',
      `CMake's codemodel in ${replyDir} lists no configuration`,
    );
  }
  const targets = await Promise.all(
    configuration.targets.map((t) => read<TargetObject>(t.jsonFile)),
  );
  const directories = await Promise.all(
    configuration.directories.map((d) =>
      d.jsonFile ? read<DirectoryObject>(d.jsonFile) : undefined,
    ),
  );
  const optional = async <T>(kind: string): Promise<T | undefined> => {
    const ref = byKind.get(kind);
    return ref?.jsonFile ? read<T>(ref.jsonFile) : undefined;
  };
  return {
    replyDir,
    generator: idx.cmake.generator.name,
    cmakeVersion: idx.cmake.version.string,
    codemodel,
    configuration,
    targets,
    directories,
    cmakeFiles: await optional<CmakeFilesObject>('cmakeFiles'),
    cache: await optional<CacheObject>('cache'),
    toolchains: await optional<ToolchainsObject>('toolchains'),
  };
}

export function cacheValue(reply: Reply, name: string): string | undefined {
  return reply.cache?.entries.find((e) => e.name === name)?.value;
}

/**
 * The files whose change needs a re-configure (cmakeFiles v1): the project's CMakeLists and the
 * `.cmake` files it includes. Left out: generated files (they live in the build tree and follow
 * from the others), CMake's own modules (`isCMake`, covered by the cmake version in the
 * fingerprint), and Kiln's generated files under `ownDir` (covered by the fingerprint too).
 */
export function configureInputs(files: CmakeFilesObject, ownDir: string): string[] {
  const out: string[] = [];
  for (const input of files.inputs) {
    if (input.isGenerated || input.isCMake) continue;
    const abs = path.resolve(files.paths.source, input.path);
    if (isInside(abs, ownDir)) continue;
    out.push(abs);
  }
  return [...new Set(out)];
}
