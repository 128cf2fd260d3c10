import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { isKilnError } from '../../src/errors.js';
import { loadGypFile } from '../../src/gyp/load.js';
import { formatGyp, parseGyp } from '../../src/gyp/parse.js';
import { REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';
import {
  FETCHED,
  type Fetched,
  fetchedPresent,
  gypFilesUnder,
  tempDir,
  unpack,
} from './fixtures.js';

const PYLIB = path.join(REPO_ROOT, 'node_modules/node-gyp/gyp/pylib');

/**
 * The reference: gyp's own loader (node-gyp's copy of gyp-next). `parsed` is what
 * LoadOneBuildFile evaluates a file to (the same eval call, before includes); `loaded` is
 * LoadOneBuildFile's result, with the includes merged in. A file Python rejects is an error.
 */
async function reference(
  files: string[],
): Promise<Record<string, { parsed: unknown; loaded: unknown }>> {
  const script = `
import json, sys
sys.path.insert(0, sys.argv[1])
import gyp.input
out = {}
for f in sys.argv[2:]:
    r = {}
    try:
        r['parsed'] = {'ok': eval(open(f, encoding='utf-8').read(), {'__builtins__': {}}, None)}
    except Exception as e:
        r['parsed'] = {'error': type(e).__name__}
    try:
        r['loaded'] = {'ok': gyp.input.LoadOneBuildFile(f, {}, {}, None, False, False)}
    except Exception as e:
        r['loaded'] = {'error': type(e).__name__}
    out[f] = r
print(json.dumps(out))
`;
  const r = await execa('python3', ['-c', script, PYLIB, ...files], { maxBuffer: 1e9 });
  return JSON.parse(r.stdout);
}

function ours(fn: () => unknown): unknown {
  try {
    return { ok: JSON.parse(JSON.stringify(fn())) };
  } catch (err) {
    if (!isKilnError(err)) throw err;
    return { error: err.message };
  }
}

describe('parseGyp', () => {
  const tricky = `# a comment
{
  'a': 'single', "b": "double",  # trailing comment
  'concat': 'one' "two"
     'three',
  'escapes': ['tab\\there', 'nl\\n', 'quote\\'s', "dq\\"", 'back\\\\slash', 'oct\\101', 'hex\\x41',
              'uni\\u00e9', 'unknown\\d', 'line\\
continued'],
  'raw': r'C:\\path\\n',
  'triple': '''multi
line ' " ''',
  'consts': [True, False, None],
  'numbers': [0, 42, -7, 3.5, 1e3, 0x1F, 1_000],
  'tuple': ('x', 'y',),
  'nested': {'list': [[], {}, [1, [2, [3]]],],},
  'key "quoted"': 'é ünïcode',
  'repeated': 1,
  'repeated': 2,
}
`;

  it('reads Python literals as gyp does (compared with Python)', async () => {
    const dir = tempDir('gyp-parse');
    const file = path.join(dir, 'tricky.gyp');
    writeFileSync(file, tricky);
    const ref = await reference([file]);
    expect(ours(() => parseGyp(tricky, file))).toEqual(ref[file]!.parsed);
    const v = parseGyp(tricky, file) as Record<string, unknown>;
    expect(v.concat).toBe('onetwothree');
    expect(v.repeated).toBe(2);
    expect(Object.keys(v).at(-1)).toBe('repeated');
  });

  it('formatGyp writes text that reads back the same', () => {
    const v = parseGyp(tricky, 'tricky.gyp');
    expect(parseGyp(formatGyp(v), 'round.gyp')).toEqual(v);
  });

  it.each([
    ["{ 'a': 'b' ", 'tricky.gyp:1:1: unclosed {'],
    ["{\n  'a': [1, 2\n}", 'tricky.gyp:3:1: expected "," or "]", found "}"'],
    ["{\n  'a' 'b',\n}", 'tricky.gyp:2:10: expected ":" after the key "ab"'],
    ["{\n  'x': true,\n}", 'tricky.gyp:2:8: a name (true) is not a literal'],
    ["{\n  'x': 'abc\n}", 'tricky.gyp:2:8: unterminated string'],
    ["{ 'x': 1 } extra", 'tricky.gyp:1:12: unexpected "e" after the value'],
    ['{ 1: 2 }', 'tricky.gyp:1:3: a dict key must be a string'],
  ])('%j is an error naming file, line and column', (text, message) => {
    let caught: unknown;
    try {
      parseGyp(text, 'tricky.gyp');
    } catch (err) {
      caught = err;
    }
    expect(isKilnError(caught) && caught.code).toBe('CONFIG_INVALID');
    expect((caught as Error).message).toContain(message);
  });
});

describe('every .gyp and .gypi of node-gyp and the fetched packages', () => {
  const present = fetchedPresent();
  let files: string[] = [];
  beforeAll(async () => {
    files = gypFilesUnder(path.join(REPO_ROOT, 'node_modules/node-gyp'));
    if (!present) return;
    const dir = tempDir('gyp-files');
    for (const name of Object.keys(FETCHED) as Fetched[]) {
      files.push(...gypFilesUnder(await unpack(name, path.join(dir, name))));
    }
  });

  itWith('python3')('parse and load (includes merged) exactly as gyp does', async () => {
    // node-gyp's addon.gypi, and the packages' binding.gyp and .gyp files.
    expect(files.length).toBeGreaterThanOrEqual(present ? 7 : 1);
    const ref = await reference(files);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const parsed = ours(() => parseGyp(text, f));
      if ('error' in (ref[f]!.parsed as object)) expect(parsed, f).toHaveProperty('error');
      else expect(parsed, f).toEqual(ref[f]!.parsed);
      const loaded = ours(() => loadGypFile(f));
      if ('error' in (ref[f]!.loaded as object)) expect(loaded, f).toHaveProperty('error');
      else expect(loaded, f).toEqual(ref[f]!.loaded);
    }
  });
});
