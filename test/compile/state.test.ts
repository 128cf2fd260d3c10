import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadState, type StepState, saveState } from '../../src/compile/state.js';

const stamp = (hash: string, mtimeMs = 1_600_000_000_000) => ({ hash, size: 10, mtimeMs });

describe("a cc step's state file", () => {
  it('stores each distinct stamp once, and reads back what was saved', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kiln-step-state-')), 'state.json');
    const shared = '/usr/include/stdio.h';
    const state: StepState = {
      objects: {
        'a.c.o': {
          command: 'ca',
          deps: { '/p/a.c': stamp('a'), [shared]: stamp('s') },
          object: stamp('oa'),
        },
        'b.c.o': {
          command: 'cb',
          deps: { '/p/b.c': stamp('b'), [shared]: stamp('s') },
          object: stamp('ob'),
          output: 'b.c: warning: unused',
        },
        // Compiled after the header changed in the same build: its own stamp is kept.
        'c.c.o': {
          command: 'cc',
          deps: {
            '/p/c.c': stamp('c'),
            [shared]: { ...stamp('s2', 1_600_000_000_500), racy: true },
          },
          object: stamp('oc'),
        },
      },
      artifact: { key: 'k', output: stamp('lib') },
    };
    await saveState(file, state);
    const stored = JSON.parse(readFileSync(file, 'utf8')).data;
    const files = stored.stamps.map(([f]: [string]) => f);
    expect(files.filter((f: string) => f === shared)).toHaveLength(2);
    expect(stored.stamps).toHaveLength(5);
    expect(await loadState(file)).toEqual(state);
  });

  it('ignores a file whose dependency indexes point nowhere: every unit compiles again', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kiln-step-state-')), 'state.json');
    await saveState(file, {
      objects: { 'a.c.o': { command: 'c', deps: { '/p/a.c': stamp('a') }, object: stamp('o') } },
    });
    const text = readFileSync(file, 'utf8').replace('"deps":[0]', '"deps":[7]');
    writeFileSync(file, text);
    expect(await loadState(file)).toEqual({ objects: {} });
  });
});
