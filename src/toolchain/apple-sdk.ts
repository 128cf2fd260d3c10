/**
 * Finding the macOS SDK: the one part of Apple targeting that asks the machine (SDKROOT, xcrun).
 * The pure rules (deployment targets, `-arch` flags) are in `target/apple.ts`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';
import type { BuildContext } from '../runner/types.js';
import { findExecutable } from './which.js';

/**
 * The macOS SDK: `SDKROOT` when it names an existing absolute directory, else
 * `xcrun --sdk macosx --show-sdk-path` when xcrun exists (macOS), else undefined (any other host).
 */
export async function sdkPath(
  ctx: Pick<BuildContext, 'getEnv' | 'exec'>,
): Promise<string | undefined> {
  const fromEnv = ctx.getEnv('SDKROOT')?.trim();
  // cc-rs ignores SDKROOT when it is relative or `/`; those come from stale shell setups.
  if (fromEnv && path.isAbsolute(fromEnv) && fromEnv !== '/' && existsSync(fromEnv)) return fromEnv;
  const xcrun = findExecutable('xcrun', process.cwd());
  if (!xcrun) return undefined;
  const result = await ctx.exec(xcrun, ['--sdk', 'macosx', '--show-sdk-path'], {
    jobs: 0,
    directives: false,
    allowFailure: true,
  });
  const out = result.stdout.trim();
  return result.exitCode === 0 && out ? out : undefined;
}

/**
 * The SDK path, or a TARGET_UNSUPPORTED error saying that `what` (e.g. "the shared library
 * libfoo.dylib") needs the macOS SDK. Objects and static libraries build without an SDK; linking
 * anything against libSystem does not.
 */
export async function requireAppleSdk(
  ctx: Pick<BuildContext, 'getEnv' | 'exec' | 'target'>,
  what: string,
): Promise<string> {
  const sdk = await sdkPath(ctx);
  if (sdk) return sdk;
  throw new KilnError(
    'TARGET_UNSUPPORTED',
    `Linking ${what} for ${ctx.target.triple} needs the macOS SDK (libSystem), and none was found`,
    {
      hint: 'Build on macOS with the Xcode command line tools (xcode-select --install), or set SDKROOT to a MacOSX.sdk directory. Objects and static libraries (cc kind "static") build without an SDK.',
      details:
        'Looked at: SDKROOT (unset or not a directory), xcrun --show-sdk-path (xcrun not on PATH)',
    },
  );
}
