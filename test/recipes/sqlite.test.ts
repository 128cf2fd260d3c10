import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQLITE_RECOMMENDED, sqlite, sqliteDefines } from '../../src/recipes/index.js';
import { REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';
import { fixturePackage, recipeContext, runProgram } from './support.js';

const test = itWith('gcc', 'ar');
/** The real amalgamation better-sqlite3 (a devDependency) ships in its tarball. */
const AMALGAMATION = path.join(REPO_ROOT, 'node_modules/better-sqlite3/deps/sqlite3');

const QUERY_PROGRAM = `#include <stdio.h>
#include <sqlite3.h>
static int row(void *u, int n, char **v, char **names) {
  (void)u; (void)names;
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : "", v[i] ? v[i] : "NULL");
  printf("\\n");
  return 0;
}
int main(void) {
  sqlite3 *db;
  char *err = 0;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  printf("%s\\n", sqlite3_libversion());
  /* Deprecated but part of stock SQLite: node-sqlite3's db.on('trace') calls it. */
  sqlite3_trace(db, 0, 0);
  printf("shared cache %d\\n", sqlite3_enable_shared_cache(0));
  const char *sql =
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);"
    "INSERT INTO t(name) VALUES ('kiln'), ('recipe');"
    "SELECT id, name FROM t ORDER BY id;"
    "CREATE VIRTUAL TABLE docs USING fts5(body);"
    "INSERT INTO docs VALUES ('native build scripts for npm packages');"
    "SELECT count(*) FROM docs WHERE docs MATCH 'npm';"
    "CREATE VIRTUAL TABLE old USING fts3(body); CREATE VIRTUAL TABLE mid USING fts4(body);"
    "SELECT \\"double-quoted string\\";"
    "SELECT json_extract('{\\"a\\": [1, 2]}', '$.a[1]');"
    "SELECT sqlite_compileoption_used('THREADSAFE=1'), sqlite_compileoption_used('DQS=0');";
  if (sqlite3_exec(db, sql, row, 0, &err) != SQLITE_OK) { fprintf(stderr, "%s\\n", err); return 2; }
  sqlite3_close(db);
  return 0;
}
`;

describe('sqlite recipe', () => {
  // The one expensive test: the real 9 MB amalgamation at -O0 (about 30-60 s on two cores).
  test('builds the real amalgamation (bundled, forced) and runs a query through it', {
    timeout: 240_000,
  }, async () => {
    const root = fixturePackage();
    const { ctx, state, events } = recipeContext(root);
    const lib = await ctx.use(sqlite({ bundled: AMALGAMATION, prefer: 'bundled' }));
    const version = /#define SQLITE_VERSION\s+"([^"]+)"/.exec(
      readFileSync(path.join(AMALGAMATION, 'sqlite3.h'), 'utf8'),
    )![1]!;
    expect(lib).toMatchObject({ name: 'sqlite', source: 'bundled', version });
    expect(lib.libs.map((l) => `${l.name}:${l.kind}`)).toEqual([
      'sqlite3:static',
      'm:dylib',
      'dl:dylib',
      'pthread:dylib',
    ]);
    const out = await runProgram(lib, QUERY_PROGRAM);
    // Upstream defaults: sqlite3_trace and shared cache are there, "x" is still a string (DQS).
    expect(out.split('\n')).toEqual([
      version,
      'shared cache 0',
      '1|kiln',
      '2|recipe',
      '1',
      'double-quoted string',
      '2',
      '1|0',
    ]);
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(logs).toContain('sqlite3: non-default defines: -DSQLITE_ENABLE_COLUMN_METADATA');
    const m = state.manifest.finish({ files: [], env: [] });
    expect(m.cfg).toContainEqual({ name: 'sqlite_bundled' });
    expect(m.metadata.sqlite_version).toBe(version);
    expect(m.includes).toContain(AMALGAMATION);
  });

  test('an old amalgamation gets SQLITE_ENABLE_JSON1 (stand-in 3.36 checks its defines)', async () => {
    const root = fixturePackage('sqlite');
    const { ctx } = recipeContext(root);
    const lib = await ctx.use(sqlite({ bundled: 'deps/sqlite', prefer: 'bundled' }));
    expect(lib.version).toBe('3.36.0');
    const out = await runProgram(
      lib,
      '#include <stdio.h>\n#include <sqlite3.h>\nint main(void){puts(sqlite3_libversion());return 0;}\n',
    );
    expect(out).toBe('3.36.0');
  });

  test('a bundled amalgamation older than 3.35.0 is refused', async () => {
    const root = fixturePackage('sqlite');
    const { ctx } = recipeContext(root);
    await expect(
      ctx.use(sqlite({ bundled: 'deps/sqlite', prefer: 'bundled', minVersion: '3.40.0' })),
    ).rejects.toMatchObject({
      code: 'RECIPE_SOURCE_INVALID',
      message: expect.stringContaining('holds sqlite 3.36.0 (from sqlite3.h SQLITE_VERSION)'),
    });
  });

  test('user defines add to and remove recipe defaults', async () => {
    const root = fixturePackage('sqlite');
    const { ctx } = recipeContext(root);
    // Removing SQLITE_ENABLE_JSON1 makes the stand-in's #error fire: the override reached the compiler.
    await expect(
      ctx.use(
        sqlite({
          bundled: 'deps/sqlite',
          prefer: 'bundled',
          defines: { SQLITE_ENABLE_JSON1: false },
        }),
      ),
    ).rejects.toMatchObject({ code: 'COMPILE_FAILED' });
  });
});

describe('sqliteDefines', () => {
  it.each([
    ['3.37.2', true],
    ['3.38.0', false],
    ['3.53.2', false],
  ])('version %s: SQLITE_ENABLE_JSON1 %s', (version, json1) => {
    const d = sqliteDefines(version, 'linux');
    expect('SQLITE_ENABLE_JSON1' in d).toBe(json1);
    expect(d).toMatchObject({
      SQLITE_THREADSAFE: 1,
      SQLITE_ENABLE_FTS4: true,
      SQLITE_ENABLE_FTS5: true,
      SQLITE_ENABLE_RTREE: true,
    });
  });

  it('keeps every API and the SQL dialect unless recommended: true', () => {
    const d = sqliteDefines('3.45.0', 'linux');
    for (const name of Object.keys(SQLITE_RECOMMENDED)) expect(d[name]).toBeUndefined();
    expect(sqliteDefines('3.45.0', 'linux', { recommended: true })).toMatchObject({
      SQLITE_DQS: 0,
      SQLITE_OMIT_DEPRECATED: true,
      SQLITE_OMIT_SHARED_CACHE: true,
    });
  });

  it('leaves the Unix-only HAVE_* out on Windows', () => {
    expect(sqliteDefines('3.45.0', 'windows').HAVE_USLEEP).toBeUndefined();
    expect(sqliteDefines('3.45.0', 'linux').HAVE_USLEEP).toBe(1);
  });
});
