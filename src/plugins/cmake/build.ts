import { rm } from 'node:fs/promises';
import { KilnError } from '../../errors.js';
import type { BuildContext } from '../../runner/types.js';
import type { ConfigurePlan } from './configure.js';
import { buildFailed } from './errors.js';

/**
 * `cmake --build` holding `jobs` slots of the shared pool. `--parallel N` is always explicit:
 * bare `-j` gives make an unbounded -j and no flag leaves make serial (research §2.5).
 * Multi-config generators also need `--config`; single-config ones ignore it.
 */
export function buildArgv(
  plan: ConfigurePlan,
  buildType: string,
  jobs: number,
  extra: readonly string[],
): string[] {
  return [
    '--build',
    plan.buildDir,
    '--parallel',
    String(jobs),
    ...(plan.generator.multiConfig ? ['--config', buildType] : []),
    ...extra,
  ];
}

export async function runBuild(
  ctx: BuildContext,
  plan: ConfigurePlan,
  options: { buildType: string; buildArgs: readonly string[] },
): Promise<void> {
  const jobs = Math.max(1, ctx.jobs);
  const lines: string[] = [];
  // One step of the build graph, counted when it was planned: Ninja's and make's own progress
  // lines would change the total (Ninja's grows when it re-runs CMake), so they go to the log.
  ctx.progress.step('CMAKE', `build ${plan.name}`);
  const res = await ctx.exec(
    plan.cmake.path,
    buildArgv(plan, options.buildType, jobs, options.buildArgs),
    {
      cwd: plan.buildDir,
      env: plan.env,
      jobs,
      directives: false,
      allowFailure: true,
      onLine: (line, stream) => {
        lines.push(line);
        if (stream === 'stdout') ctx.log.debug(line);
      },
    },
  );
  if (res.exitCode !== 0) {
    throw await buildFailed({
      name: plan.name,
      buildDir: plan.buildDir,
      lines,
      command: res.command,
    });
  }
}

export async function runInstall(
  ctx: BuildContext,
  plan: ConfigurePlan & { installDir: string },
  buildType: string,
): Promise<void> {
  ctx.progress.step('CMAKE', `install ${plan.name}`);
  // CMake skips a file whose copy is not older than the build product ("Up-to-date"), and it
  // copies mtimes truncated to whole seconds: a library rebuilt within the second of the last
  // install, or a copy half-written by a killed install, would be kept. The install tree is
  // Kiln's own, so it is written anew every time.
  await rm(plan.installDir, { recursive: true, force: true });
  const args = [
    '--install',
    plan.buildDir,
    ...(plan.generator.multiConfig ? ['--config', buildType] : []),
  ];
  const res = await ctx.exec(plan.cmake.path, args, {
    cwd: plan.buildDir,
    env: plan.env,
    directives: false,
    allowFailure: true,
  });
  if (res.exitCode !== 0) {
    throw new KilnError(
      'CMAKE_BUILD_FAILED',
      `cmake --install of ${plan.name} failed (exit ${res.exitCode})`,
      {
        details: `${res.stderr}\n${res.stdout}`.trim().split('\n').slice(-30).join('\n'),
        command: res.command,
        hint: 'An install rule of the project failed; run the command above to reproduce.',
      },
    );
  }
}
