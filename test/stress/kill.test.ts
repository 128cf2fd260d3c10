import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { hostTriple } from '../../src/target/triple.js';
import { KILN_BIN, kiln, makePackage } from '../support/package.js';
import { itWith } from '../support/tools.js';

/**
 * Kill stress: builds SIGKILLed at points spread over every phase (compile, archive, link,
 * cmake configure/build/install, manifest write), each followed by a normal build that must
 * give outputs byte-identical to a clean build of the same sources, and leave no process behind.
 */
const ROUNDS = Number(process.env.KILN_KILL_ROUNDS ?? 50);

const CONFIG = `
import { cc, cmake, defineConfig } from 'kilnjs';
const core = cc({ name: 'core', sources: ['src/core/*.c'] });
export default defineConfig({
  plugins: [
    core,
    cc({ name: 'shared', kind: 'shared', sources: ['src/shared/*.c'], link: [core] }),
    cmake({ source: 'vendor/kit' }),
  ],
});
`;
const CMAKE = `cmake_minimum_required(VERSION 3.21)
project(kit C)
add_library(kit STATIC kit.c)
install(TARGETS kit ARCHIVE DESTINATION lib)
`;
const VARIANTS = ['ONE', 'TWO', 'SIX'];
const coreA = (v: string) =>
  `#include "core.h"\nconst char *core_a(void) { return "A_${v}"; }\nint pad_a(int x) { return x * 3 + 1; }\n`;
const kitC = (v: string) => `const char *kit_mark(void) { return "KIT_${v}"; }\n`;

function writeVariant(root: string, v: string): void {
  writeFileSync(path.join(root, 'src/core/a.c'), coreA(v));
  writeFileSync(path.join(root, 'vendor/kit/kit.c'), kitC(v));
}

/** Every output a user relies on, with its bytes: libraries, objects, installed files, manifest. */
function snapshot(root: string): Map<string, string> {
  const out = path.join(root, 'build', 'kiln', hostTriple(), 'release');
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(out, full);
      if (e.isDirectory()) {
        // CMake's own build tree holds logs and timestamps; its products are installed.
        // Kiln's own caches (compiler probes, state) are not outputs.
        if (rel === path.join('cmake', 'kit', 'build') || e.name === '.kiln' || rel === 'toolchain')
          continue;
        walk(full);
      } else if (/\.(a|so|o|json)$/.test(e.name) && !e.name.endsWith('state.json')) {
        if (
          e.name === 'kiln-cmake.json' ||
          e.name === 'link.json' ||
          e.name === 'compile_commands.json'
        )
          continue;
        files.set(rel, readFileSync(full).toString('base64'));
      }
    }
  };
  walk(out);
  return files;
}

/** The outputs whose bytes differ from the reference (or exist on one side only). */
function differences(now: Map<string, string>, want: Map<string, string>): string[] {
  const keys = new Set([...now.keys(), ...want.keys()]);
  return [...keys].filter((k) => now.get(k) !== want.get(k)).sort();
}

/** Processes whose command line names the package: compilers, archivers, cmake, ninja. */
function processesUnder(root: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(root) && Number(pid) !== process.pid) found.push(`${pid}: ${cmd}`);
    } catch {
      // Gone while listing.
    }
  }
  return found;
}

type Phase = 'compile' | 'archive' | 'link' | 'configure' | 'cmake-build' | 'install' | 'manifest';
const PHASES: Phase[] = [
  'compile',
  'archive',
  'link',
  'configure',
  'cmake-build',
  'install',
  'manifest',
];

/** Whether a JSON event of the build marks the start of `phase`. */
function starts(phase: Phase, e: Record<string, unknown>): boolean {
  const args = (e.args as string[] | undefined) ?? [];
  const cmake = e.type === 'exec' && path.basename(String(e.file)) === 'cmake';
  switch (phase) {
    case 'compile':
      return e.type === 'progress' && e.step === 'CC';
    case 'archive':
      return e.type === 'progress' && e.step === 'AR';
    case 'link':
      return e.type === 'progress' && e.step === 'LINK';
    case 'configure':
      return cmake && args[0] === '-S';
    case 'cmake-build':
      return cmake && args[0] === '--build';
    case 'install':
      return cmake && args[0] === '--install';
    case 'manifest':
      return e.type === 'plugin-end' && String(e.plugin).startsWith('cmake:');
  }
}

/** Runs a build and SIGKILLs it at `phase` plus `delayMs`; resolves with whether it was killed. */
async function killAt(root: string, phase: Phase, delayMs: number): Promise<boolean> {
  const child = execa(process.execPath, [KILN_BIN, 'build', '--json', '-j', '2'], {
    cwd: root,
    env: { NO_COLOR: '1' },
    reject: false,
    buffer: false,
  });
  let killed = false;
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line);
    } catch {
      return;
    }
    if (!killed && starts(phase, e)) {
      killed = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  });
  await child;
  return killed;
}

describe('kill stress', () => {
  itWith('gcc', 'cmake', 'ninja')(
    `${ROUNDS} builds killed with SIGKILL at every phase recover to byte-identical outputs`,
    async () => {
      const root = makePackage({
        'build.config.ts': CONFIG,
        'src/core/core.h': 'const char *core_a(void);\n',
        'src/core/b.c': 'int core_b(void) { return 2; }\n',
        'src/core/c.c': 'int core_c(void) { return 3; }\n',
        'src/core/d.c': 'int core_d(void) { return 4; }\n',
        'src/shared/s.c':
          '#include "../core/core.h"\nconst char *shared_mark(void) { return core_a(); }\n',
        'vendor/kit/CMakeLists.txt': CMAKE,
      });
      // Reference outputs: a clean build of each variant, at this same path.
      const reference = new Map<string, Map<string, string>>();
      for (const v of VARIANTS) {
        rmSync(path.join(root, 'build'), { recursive: true, force: true });
        writeVariant(root, v);
        const r = await kiln(root, ['build']);
        expect(r.exitCode, r.all).toBe(0);
        reference.set(v, snapshot(root));
      }

      // A seeded generator: the same kill points on every run.
      let seed = 12345;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const hit = new Map<Phase, number>();
      for (let i = 0; i < ROUNDS; i++) {
        const phase = PHASES[i % PHASES.length]!;
        const v = VARIANTS[Math.floor(random() * VARIANTS.length)]!;
        writeVariant(root, v);
        // Some rounds also wipe the cmake tree, so configure runs again and can be killed.
        if (phase === 'configure') {
          rmSync(path.join(root, 'build', 'kiln', hostTriple(), 'release', 'cmake'), {
            recursive: true,
            force: true,
          });
        }
        if (await killAt(root, phase, Math.floor(random() * 40))) {
          hit.set(phase, (hit.get(phase) ?? 0) + 1);
        }
        const after = await kiln(root, ['build']);
        expect(after.exitCode, `round ${i} (${phase}, ${v}): ${after.all}`).toBe(0);
        expect(
          differences(snapshot(root), reference.get(v)!),
          `round ${i} (${phase}, ${v})`,
        ).toEqual([]);
        expect(processesUnder(root), `round ${i} (${phase})`).toEqual([]);
      }
      // Every phase was really interrupted at least once.
      for (const phase of PHASES) expect(hit.get(phase) ?? 0, phase).toBeGreaterThan(0);
    },
    1_200_000,
  );
});
