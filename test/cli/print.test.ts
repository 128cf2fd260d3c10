import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostTriple } from '../../src/target/triple.js';
import { splitWords } from '../../src/util/quote.js';
import { hostOut } from '../support/host.js';
import { kiln, makePackage, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';

const FIXTURE = path.join(REPO_ROOT, 'native-fixtures/runner/greet');

/** A package (in a folder whose name has a space and non-ASCII letters) whose build script compiles libgreet. */
function greetPackage(): string {
  return makePackage(
    {
      'build.config.ts': `import path from 'node:path';
import { defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    await ctx.exec(process.execPath, [${JSON.stringify(path.join(FIXTURE, 'build-greet.mjs'))}, ${JSON.stringify(FIXTURE)}, path.join(ctx.outDir, 'greet')]);
  },
});
`,
    },
    { name: '@acme/greet', dirName: 'my pkg ü' },
  );
}

describe('kiln print', () => {
  let root: string;
  beforeAll(async () => {
    root = greetPackage();
    const r = await kiln(root, ['build']);
    expect(r.exitCode, r.all).toBe(0);
  });

  itWith('cc')('renders flags a real gcc command line accepts', async () => {
    const flags = await kiln(root, ['print', '--cflags', '--libs']);
    expect(flags.exitCode, flags.all).toBe(0);
    expect(flags.stdout).toContain('my\\ pkg\\ ü');
    const exe = path.join(root, 'main');
    await execa('cc', [path.join(FIXTURE, 'main.c'), ...splitWords(flags.stdout), '-o', exe]);
    const run = await execa(exe);
    expect(run.stdout).toBe('hello, kiln\ndefine from manifest');
  });

  itWith('pkg-config')('renders a .pc file that the system pkg-config accepts', async () => {
    const dir = path.join(root, 'pc');
    const r = await kiln(root, ['print', '--format', 'pc', '--output', path.join(dir, 'greet.pc')]);
    expect(r.exitCode, r.all).toBe(0);
    const env = { PKG_CONFIG_PATH: dir, PKG_CONFIG_LIBDIR: dir };
    const libs = await execa('pkg-config', ['--libs', 'greet'], { env, encoding: 'buffer' });
    // pkgconf backslash-escapes spaces and every non-ASCII byte; a shell's word splitting undoes it.
    expect(shellWordsOfBytes(libs.stdout)).toEqual([
      `-L${path.join(root, hostOut(), 'greet')}`,
      '-lgreet',
    ]);
    const cflags = await execa('pkg-config', ['--cflags', 'greet'], { env });
    expect(cflags.stdout).toContain('-DGREET_FROM_MANIFEST');
    const version = await execa('pkg-config', ['--modversion', 'greet'], { env });
    expect(version.stdout).toBe('1.2.3');
  });

  itWith('cmake', 'cc')('renders a file a real CMake project include()s and links', async () => {
    const project = path.join(root, 'cmake-consumer');
    mkdirSync(project, { recursive: true });
    const r = await kiln(root, [
      'print',
      '--format',
      'cmake',
      '--output',
      path.join(project, 'kiln.cmake'),
    ]);
    expect(r.exitCode, r.all).toBe(0);
    writeFileSync(
      path.join(project, 'CMakeLists.txt'),
      `cmake_minimum_required(VERSION 3.16)
project(consumer C)
include(\${CMAKE_CURRENT_SOURCE_DIR}/kiln.cmake)
add_executable(consumer ${JSON.stringify(path.join(FIXTURE, 'main.c'))})
target_link_libraries(consumer PRIVATE kiln::acme_greet)
`,
    );
    const bin = path.join(project, 'out');
    await execa('cmake', ['-S', project, '-B', bin]);
    await execa('cmake', ['--build', bin]);
    const run = await execa(path.join(bin, 'consumer'));
    expect(run.stdout).toBe('hello, kiln\ndefine from manifest');
  });

  itWith('cc')('renders gyp, env and json formats', async () => {
    const gyp = JSON.parse((await kiln(root, ['print', '--format', 'gyp'])).stdout);
    expect(gyp.include_dirs).toEqual([path.join(FIXTURE, 'include')]);
    expect(gyp.defines).toEqual(['GREET_FROM_MANIFEST']);
    expect(gyp.libraries).toEqual(['-lgreet']);
    const gypLibs = (await kiln(root, ['print', '--format', 'gyp', '--libs'])).stdout
      .trim()
      .split('\n');
    // gyp splits <!@(...) with shlex and its Makefile hands words to the shell: a space is escaped twice.
    const twice = (s: string) => s.replaceAll(' ', '\\\\\\ ');
    expect(gypLibs).toEqual([`-L${twice(path.join(root, hostOut(), 'greet'))}`, '-lgreet']);
    const env = (await kiln(root, ['print', '--format', 'env'])).stdout;
    expect(env.split('\n')).toContain('KILN_META_GREETING=hello');
    expect(env).toMatch(/^KILN_CFLAGS='-I/m);
    const json = JSON.parse((await kiln(root, ['print'])).stdout);
    expect(json.metadata).toEqual({ greeting: 'hello' });
    expect(json.inputs.files).toContain(path.join(FIXTURE, 'greet.c'));
  });

  itWith('cc')('fails clearly when there is no manifest for the target', async () => {
    const r = await kiln(root, ['print', '--target', 'aarch64-unknown-linux-gnu']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('No link manifest at');
    expect(r.stderr).toContain('Run `kiln build`');
  });
});

describe('kiln print with hostile values from a build script', () => {
  const canary = (root: string) => path.join(root, 'pwned');

  /** A package whose build script runs a program printing `line`, with `touch pwned` as payload. */
  function printingPackage(line: string): string {
    return makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    await ctx.exec(process.execPath, ['-e', ${JSON.stringify(`console.log(${JSON.stringify(line)})`)}]);
  },
});
`,
    });
  }

  it('fails the build on a kiln:env line whose name would inject a command, running nothing', async () => {
    const root = printingPackage('kiln:env=X;touch pwned;Y=1');
    const build = await kiln(root, ['build']);
    expect(build.exitCode, build.all).toBe(1);
    expect(build.stderr).toContain('Invalid env name "X;touch pwned;Y"');
    expect(build.stderr).toContain('[A-Za-z_][A-Za-z0-9_]*');
    const print = await kiln(root, ['print', '--format', 'env']);
    expect(print.exitCode).toBe(1);
    expect(print.stdout).toBe('');
    expect(existsSync(canary(root))).toBe(false);
  });

  it('fails the build when ctx.emit exports an env var whose name is not an identifier', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
export default defineConfig({
  build(ctx) {
    ctx.emit({ type: 'env', name: 'A=$(touch pwned)', value: '1' });
  },
});
`,
    });
    const build = await kiln(root, ['build']);
    expect(build.exitCode, build.all).toBe(1);
    expect(build.stderr).toContain('Invalid env name "A=$(touch pwned)"');
    expect(existsSync(canary(root))).toBe(false);
  });

  it('prints hostile values an env-sourcing shell reads back exactly, and refuses a hand-edited bad name', async () => {
    // A directive line cannot hold a newline, so the `\\n` here is two characters.
    const value = '$(touch pwned)`touch pwned`\'"; touch pwned # \\n ü';
    const root = printingPackage(`kiln:env=HOSTILE=${value}`);
    const build = await kiln(root, ['build']);
    expect(build.exitCode, build.all).toBe(0);
    const out = path.join(root, 'out.env');
    const print = await kiln(root, ['print', '--format', 'env', '--output', out]);
    expect(print.exitCode, print.all).toBe(0);
    const read = await execa('sh', ['-c', '. ./out.env; printf %s "$HOSTILE"'], {
      cwd: root,
      stripFinalNewline: false,
    });
    expect(read.stdout).toBe(value);
    expect(existsSync(canary(root))).toBe(false);

    const manifestFile = path.join(root, `build/kiln/${hostTriple()}/release/manifest.json`);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.env['X;touch pwned;Y'] = '1';
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const edited = await kiln(root, ['print', '--format', 'env']);
    expect(edited.exitCode).toBe(1);
    expect(edited.stdout).toBe('');
    expect(edited.stderr).toContain('invalid env name "X;touch pwned;Y"');
    expect(existsSync(canary(root))).toBe(false);
  });

  it('refuses to write a .pc file a define with a newline would add a line to', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
export default defineConfig({
  build(ctx) {
    ctx.emit({ type: 'define', name: 'V', value: 'a\\nLibs: -lpwned' });
  },
});
`,
    });
    const build = await kiln(root, ['build']);
    expect(build.exitCode, build.all).toBe(0);
    const pc = await kiln(root, ['print', '--format', 'pc']);
    expect(pc.exitCode).toBe(1);
    expect(pc.stdout).toBe('');
    expect(pc.stderr).toContain('Cannot render flag "-DV=a\\nLibs: -lpwned" for --format pc');
    const flags = await kiln(root, ['print', '--cflags']);
    expect(splitWords(flags.stdout)).toEqual(['-DV=a\nLibs: -lpwned']);
  });
});

/** Word-splits raw bytes the way a shell does (a backslash escapes the next byte), then decodes UTF-8. */
function shellWordsOfBytes(bytes: Uint8Array): string[] {
  const words: number[][] = [];
  let current: number[] | undefined;
  for (let i = 0; i < bytes.length; i++) {
    let b = bytes[i]!;
    if (b === 0x20 || b === 0x0a || b === 0x09) {
      current = undefined;
      continue;
    }
    if (b === 0x5c && i + 1 < bytes.length) b = bytes[++i]!;
    if (!current) {
      current = [];
      words.push(current);
    }
    current.push(b);
  }
  return words.map((w) => Buffer.from(w).toString('utf8'));
}
