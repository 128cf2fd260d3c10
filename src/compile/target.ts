import type { LinkInfo } from '../manifest/schema.js';
import type { BuildContext } from '../runner/types.js';
import { ChangeOracle, hashBytes, stampWritten, stampWrittenSync } from '../state/index.js';
import { isApple, type Triple } from '../target/triple.js';
import { requireAppleSdk } from '../toolchain/apple-sdk.js';
import { resolveToolchain } from '../toolchain/index.js';
import { joinPath } from '../util/paths.js';
import { withCacheStats } from './cache-stats.js';
import { artifactName, type CompileSettings, compileCommand, objectExtension } from './command.js';
import type { CompileCommandEntry } from './compile-commands.js';
import { archiveCommand, linkShared, writeArchive } from './link.js';
import { objectRelPath, relPath, type Source } from './sources.js';
import { loadState, type ObjectRecord, saveState, staleReason } from './state.js';
import { type CompileJob, compileAll, tempNames } from './units.js';

export interface TargetBuildInput {
  name: string;
  kind: 'static' | 'shared' | 'objects' | 'executable';
  sources: readonly Source[];
  perFile: ReadonlyMap<string, string[]>;
  settings: Omit<CompileSettings, 'toolchain' | 'sections' | 'pic'> & { pic: boolean | undefined };
  link: readonly LinkInfo[];
  /** Whether this build rewrites a library in `link` (then a shared library relinks). */
  linkChanges?: boolean | undefined;
  ldFlags: readonly string[];
  /** Where this target's objects, state and artifact go. */
  dir: string;
  /** The step its warnings are reported under. Default: `cc:<name>`. */
  step?: string | undefined;
}

export interface TargetBuildResult {
  artifact: string | undefined;
  /** Whether the artifact is (re)written in this run. */
  artifactChanged: boolean;
  objects: string[];
  /** Sources compiled in this run, relative to the package root. */
  compiled: string[];
  entries: CompileCommandEntry[];
  /** Every source and header the objects depend on (complete once the compiles ran). */
  inputs: Set<string>;
  cxx: boolean;
}

/** Work decided at plan time: `count` progress steps when it runs. */
export interface PlannedWork {
  count: number;
  inputs: string[];
  outputs: string[];
  run(): Promise<void>;
}

export interface TargetPlan {
  /**
   * Compiles the stale units (one progress step each, each holding its own job-pool slot),
   * reports the warnings of every unit, and records what each object was made from. Runs even
   * with nothing stale (count 0): the warnings of fresh objects are shown again.
   */
  compile: PlannedWork;
  /** The archive or shared-library link; undefined for `objects` and when it is up to date. */
  artifact: PlannedWork | undefined;
  /** What the target is made of, known before anything runs (`inputs` fills as units compile). */
  result: TargetBuildResult;
}

/**
 * Plans the library for one (thin) target: which objects are stale, from the state file (command
 * hash + content of every depfile input, through the ChangeOracle), and whether the archive or
 * link must be rewritten (an object is stale, a library linked in is rebuilt, or its own record
 * or file no longer match). Nothing runs until the returned work does.
 */
export async function planTarget(
  ctx: BuildContext,
  target: Triple,
  input: TargetBuildInput,
): Promise<TargetPlan> {
  const toolchain = await resolveToolchain(ctx, { target });
  const hasCxx = input.sources.some((s) => s.language === 'c++');
  if (hasCxx && toolchain.cxx.missing) throw toolchain.cxx.missing;
  const objExt = objectExtension(toolchain.ccInfo);
  const objKey = (file: string) => joinPath('obj', objectRelPath(ctx.packageRoot, file, objExt));
  if (input.kind === 'shared' && isApple(target)) {
    // Fail before compiling anything: a dylib links against libSystem, which only the SDK has.
    await requireAppleSdk(
      ctx,
      `the shared library ${artifactName(input.name, 'shared', target.os, target.env)}`,
    );
  }
  const windows = target.os === 'windows';
  const settings: CompileSettings = {
    ...input.settings,
    toolchain,
    root: ctx.packageRoot,
    pic: input.settings.pic ?? !windows,
    // cc-rs leaves sections off for Apple's mobile OSes only; harmless elsewhere and lets the
    // final link drop unused functions with --gc-sections.
    sections: !['ios', 'tvos', 'watchos', 'visionos'].includes(target.os),
  };
  const statePath = joinPath(input.dir, 'state.json');
  const state = await loadState(statePath);
  const oracle = new ChangeOracle();
  const identity = JSON.stringify([toolchain.ccInfo, toolchain.cxxInfo]);
  const nextObjects: Record<string, ObjectRecord> = {};
  const jobs: CompileJob[] = [];
  const entries: CompileCommandEntry[] = [];
  const objects: string[] = [];
  const inputs = new Set<string>();

  await Promise.all(
    input.sources.map(async (source) => {
      const objRel = objKey(source.file);
      const object = joinPath(input.dir, objRel);
      const perFile = input.perFile.get(source.file) ?? [];
      // The command as recorded names the final object; the one run writes temporary files.
      const command = compileCommand(settings, source, perFile, object, `${object}.d`);
      const temp = tempNames(object);
      const commandHash = hashBytes(JSON.stringify([identity, command.program, command.args]));
      objects.push(object);
      entries.push({
        directory: ctx.packageRoot,
        file: source.file,
        arguments: command.clangdArguments,
        output: object,
      });
      const record = state.objects[objRel];
      const reason = ctx.force ? 'forced' : await staleReason(record, commandHash, object, oracle);
      if (reason === undefined && record) {
        nextObjects[objRel] = record;
        for (const d of Object.keys(record.deps)) inputs.add(d);
      } else {
        ctx.log.debug(`cc ${input.name}: ${source.rel}: ${reason}`);
        jobs.push({
          source,
          command,
          run: compileCommand(settings, source, perFile, temp.tempObject, temp.depfile),
          object,
          ...temp,
          key: objRel,
          commandHash,
          tool: source.language === 'c++' ? toolchain.cxx : toolchain.cc,
        });
      }
    }),
  );
  // Promise.all above settles in completion order; keep outputs in source order for determinism.
  const order = new Map(input.sources.map((s, i) => [joinPath(input.dir, objKey(s.file)), i]));
  objects.sort((a, b) => order.get(a)! - order.get(b)!);
  jobs.sort((a, b) => order.get(a.object)! - order.get(b.object)!);

  const artifact =
    input.kind === 'objects'
      ? undefined
      : joinPath(input.dir, artifactName(input.name, input.kind, target.os, target.env));
  const cxx = hasCxx;
  // Taken again when the artifact is written: by then the libraries linked in are final.
  const artifactKey = async () =>
    hashBytes(
      JSON.stringify([input.kind, await artifactInputs(toolchain, input, artifact!, objects, cxx)]),
    );
  const needArtifact =
    artifact !== undefined &&
    (jobs.length > 0 ||
      ctx.force ||
      input.linkChanges === true ||
      state.artifact === undefined ||
      state.artifact.key !== (await artifactKey()) ||
      (await oracle.change(artifact, state.artifact.output)) !== undefined);

  const compile: PlannedWork = {
    count: jobs.length,
    inputs: input.sources.map((s) => s.file),
    outputs: jobs.map((j) => j.object),
    run: async () => {
      try {
        const run = () =>
          compileAll(
            ctx,
            jobs,
            oracle,
            (job, record, used) => {
              if (record) nextObjects[job.key] = record;
              for (const d of used) inputs.add(d);
            },
            {
              step: input.step ?? `cc:${input.name}`,
              objects: input.sources.map((source) => {
                const key = objKey(source.file);
                return {
                  rel: source.rel,
                  object: joinPath(input.dir, key),
                  output: state.objects[key]?.output,
                };
              }),
            },
          );
        const tool = jobs.some((j) => j.source.language === 'c++') ? toolchain.cxx : toolchain.cc;
        await (jobs.length === 0
          ? run()
          : withCacheStats(tool, run, (stats) => {
              ctx.log.cache?.({ step: input.name, ...stats });
              ctx.log.debug(
                `${input.name}: ${stats.wrapper} ${stats.hits} hits, ${stats.misses} misses${stats.overlapped ? ' (counters shared with a concurrent step)' : ''}`,
              );
            }));
      } finally {
        // Keep what did compile, so the next build after a fix recompiles only the rest. The
        // artifact record is dropped when it is rewritten: it must be rebuilt from the new objects.
        await saveState(statePath, {
          objects: nextObjects,
          artifact: needArtifact ? undefined : state.artifact,
        });
      }
    },
  };

  const written =
    needArtifact && artifact
      ? {
          count: 1,
          inputs: [...objects, ...linkedFiles(input.link)],
          outputs: [artifact],
          run: async () => {
            const rel = relPath(ctx.packageRoot, artifact);
            if (input.kind === 'static') {
              ctx.progress.step('AR', rel);
              await writeArchive(ctx, toolchain, artifact, objects);
            } else {
              ctx.progress.step('LINK', rel);
              await linkShared(ctx, {
                toolchain,
                name: input.name,
                output: artifact,
                objects,
                cxx,
                link: input.link,
                ldFlags: input.ldFlags,
                executable: input.kind === 'executable',
                debug: ctx.profile.debugInfo,
                root: ctx.packageRoot,
              });
            }
            const output = stampWrittenSync(artifact);
            await saveState(statePath, {
              objects: nextObjects,
              artifact: { key: await artifactKey(), output },
            });
          },
        }
      : undefined;
  return {
    compile,
    artifact: written,
    result: {
      artifact,
      artifactChanged: needArtifact,
      objects,
      compiled: jobs.map((j) => j.source.rel),
      entries,
      inputs,
      cxx,
    },
  };
}

/** The library files a link reads (those given by path). */
export function linkedFiles(link: readonly LinkInfo[]): string[] {
  return link.flatMap((l) => l.libs.map((lib) => lib.path).filter((p): p is string => !!p));
}

/** What the archive or link depends on besides the objects' content (which `jobs` covers). */
async function artifactInputs(
  toolchain: Awaited<ReturnType<typeof resolveToolchain>>,
  input: TargetBuildInput,
  artifact: string,
  objects: string[],
  cxx: boolean,
): Promise<unknown> {
  if (input.kind === 'static') {
    const cmd = archiveCommand(toolchain, artifact, objects);
    return [cmd.program, cmd.args];
  }
  // A library linked in may be rebuilt by an earlier step: its stamp makes this one relink.
  const stamps = await Promise.all(
    linkedFiles(input.link).map(async (p) => [p, (await stampWritten(p)).hash]),
  );
  return [
    toolchain.cc.path,
    toolchain.cxx.path,
    cxx,
    objects,
    input.link,
    input.ldFlags,
    toolchain.ldflags,
    toolchain.targetFlags,
    stamps,
    ...(toolchain.linker ? [toolchain.linker.path, toolchain.linker.args] : []),
  ];
}
