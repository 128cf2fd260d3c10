import { describe, expect, it } from 'vitest';
import type { KilnError } from '../../src/errors.js';
import {
  appleCompileFlags,
  appleFlags,
  clangTarget,
  DEFAULT_DEPLOYMENT_TARGET,
  deploymentTarget,
  frameworkFlags,
  frameworkSearchFlags,
  parseTriple,
} from '../../src/target/index.js';
import { requireAppleSdk, sdkPath } from '../../src/toolchain/apple-sdk.js';
import { makeContext, tempDir } from './support.js';

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

describe('deploymentTarget', () => {
  it.each([
    ['x86_64-apple-darwin', {}, DEFAULT_DEPLOYMENT_TARGET.x86_64],
    ['aarch64-apple-darwin', {}, '11.0'],
    ['x86_64-apple-macosx10.15', {}, '10.15'],
    ['arm64-apple-macos12', {}, '12.0'],
    ['x86_64-apple-macosx10.15', { MACOSX_DEPLOYMENT_TARGET: '12.3' }, '12.3'],
    ['x86_64-apple-darwin', { MACOSX_DEPLOYMENT_TARGET: '10.9' }, '10.9'],
    ['aarch64-apple-darwin', { MACOSX_DEPLOYMENT_TARGET: '10.13' }, '11.0'],
    ['aarch64-apple-darwin', { MACOSX_DEPLOYMENT_TARGET: '13' }, '13.0'],
    ['universal-apple-darwin', {}, '10.13'],
  ])('%s with %j → %s', (triple, env, version) => {
    expect(deploymentTarget(envOf(env), parseTriple(triple))).toBe(version);
  });

  it('reads MACOSX_DEPLOYMENT_TARGET through the context, so it becomes a tracked input', () => {
    const reads: string[] = [];
    const version = deploymentTarget(
      {
        getEnv: (n) => {
          reads.push(n);
          return n === 'MACOSX_DEPLOYMENT_TARGET' ? '14.0' : undefined;
        },
      },
      'x86_64-apple-darwin',
    );
    expect(version).toBe('14.0');
    expect(reads).toContain('MACOSX_DEPLOYMENT_TARGET');
  });

  it('rejects a malformed MACOSX_DEPLOYMENT_TARGET naming the variable', () => {
    expect(() =>
      deploymentTarget(envOf({ MACOSX_DEPLOYMENT_TARGET: 'eleven' }), 'x86_64-apple-darwin'),
    ).toThrow(/MACOSX_DEPLOYMENT_TARGET="eleven" is not a macOS version/);
  });
});

describe('Apple flags', () => {
  it('renders -arch and the minimum version', () => {
    expect(appleFlags('aarch64-apple-darwin', '11.0')).toEqual([
      '-arch',
      'arm64',
      '-mmacosx-version-min=11.0',
    ]);
    expect(appleFlags('x86_64-apple-darwin', '10.13')).toEqual([
      '-arch',
      'x86_64',
      '-mmacosx-version-min=10.13',
    ]);
    expect(appleFlags('universal-apple-darwin', '11.0')).toEqual([
      '-arch',
      'x86_64',
      '-arch',
      'arm64',
      '-mmacosx-version-min=11.0',
    ]);
  });

  it('prefixes --target= for clang, not for gcc-style drivers', () => {
    expect(appleCompileFlags('aarch64-apple-darwin', '11.0')).toEqual([
      '--target=arm64-apple-macos11.0',
      '-arch',
      'arm64',
      '-mmacosx-version-min=11.0',
    ]);
    expect(appleCompileFlags('x86_64-apple-darwin', '10.13', { clang: false })).toEqual([
      '-arch',
      'x86_64',
      '-mmacosx-version-min=10.13',
    ]);
  });

  it.each([
    ['x86_64-apple-darwin', '11.0', 'x86_64-apple-macos11.0'],
    ['aarch64-apple-darwin', '11.0', 'arm64-apple-macos11.0'],
    ['arm64-apple-macosx12.0', undefined, 'arm64-apple-macos12.0'],
    ['x86_64-apple-darwin', undefined, 'x86_64-apple-macos'],
    ['aarch64-unknown-linux-gnu', undefined, 'aarch64-unknown-linux-gnu'],
    ['riscv64gc-unknown-linux-gnu', undefined, 'riscv64-unknown-linux-gnu'],
    ['armv7-unknown-linux-gnueabihf', undefined, 'armv7-unknown-linux-gnueabihf'],
    ['x86_64-pc-windows-msvc', undefined, 'x86_64-pc-windows-msvc'],
  ])('clangTarget(%s, %s) = %s', (triple, version, expected) => {
    expect(clangTarget(triple, version)).toBe(expected);
  });

  it('refuses a single clang target for universal, pointing at lipo', () => {
    try {
      clangTarget('universal-apple-darwin', '11.0');
      expect.unreachable();
    } catch (e) {
      expect((e as KilnError).code).toBe('TARGET_UNSUPPORTED');
      expect((e as KilnError).hint).toMatch(/lipo/);
    }
  });

  it('renders frameworks from link info: -F dirs first, each -framework once, in order', () => {
    const info = {
      libs: [
        { name: 'CoreFoundation', kind: 'framework' as const },
        { name: 'z', kind: 'dylib' as const },
        { name: 'Security', kind: 'framework' as const },
        { name: 'CoreFoundation', kind: 'framework' as const },
      ],
      searchPaths: [
        { kind: 'framework' as const, path: '/opt/fw' },
        { kind: 'native' as const, path: '/usr/lib' },
        { kind: 'framework' as const, path: '/opt/fw' },
      ],
    };
    expect(frameworkFlags(info)).toEqual([
      '-F/opt/fw',
      '-framework',
      'CoreFoundation',
      '-framework',
      'Security',
    ]);
    expect(frameworkSearchFlags(info)).toEqual(['-F/opt/fw']);
  });
});

describe('macOS SDK', () => {
  it('takes SDKROOT when it is an existing absolute directory', async () => {
    const sdk = tempDir('kiln-sdk-');
    expect(await sdkPath(makeContext('x86_64-apple-darwin', { SDKROOT: sdk }))).toBe(sdk);
  });

  it.runIf(process.platform !== 'darwin')(
    'finds no SDK off macOS and says linking needs one',
    async () => {
      const ctx = makeContext('x86_64-apple-darwin', { SDKROOT: '/nonexistent/MacOSX.sdk' });
      expect(await sdkPath(ctx)).toBeUndefined();
      await expect(requireAppleSdk(ctx, 'the shared library libadd.dylib')).rejects.toMatchObject({
        code: 'TARGET_UNSUPPORTED',
        message: expect.stringMatching(/libadd\.dylib for x86_64-apple-darwin needs the macOS SDK/),
        hint: expect.stringMatching(/xcode-select --install|SDKROOT/),
      });
    },
  );
});
