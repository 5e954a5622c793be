// `mcpsh serve sqlite` modes and lifecycle: --readonly, --allow-write (execute), --max-rows, a busy database,
// startup errors with exit codes, --demo's determinism, and a clean exit when stdin closes or on SIGTERM.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  REPO,
  runCli,
  sha256,
  startSqliteServer,
  textOf,
  toolNamed,
  validateStructured,
  type SqliteServer,
} from './sqlite/harness.js';

const tmp = makeTempDir();
afterAll(() => tmp.remove());

describe('--readonly (with --demo on a new file, and --max-rows)', () => {
  const db = join(tmp.dir, 'ro.db');
  let s: SqliteServer;
  beforeAll(async () => {
    s = await startSqliteServer([db, '--demo', '--readonly', '--max-rows', '3']);
  });
  afterAll(async () => s?.close());

  it('seeds the new file, then serves it read-only with the row limit', async () => {
    expect(s.stderr()).toMatch(/\(read-only, max 3 rows; demo data created\)/);
    expect(s.tools.map((t) => t.name)).not.toContain('execute');
    const r = await s.call('query', { sql: 'SELECT id FROM customers ORDER BY id' });
    expect(r.structuredContent).toEqual({ columns: ['id'], rows: [[1], [2], [3]], rowCount: 3, truncated: true });
    expect(textOf(r)).toMatch(/only the first 3 rows are shown/);
    expect(s.client.getInstructions()).toMatch(/read-only/);
  });

  it('insert_record is a clear tool error and the file does not change', async () => {
    const before = sha256(db);
    const r = await s.call('insert_record', { table: 'customers', values: { name: 'x' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/started with --readonly.*Restart it without --readonly/);
    const q = await s.call('query', { sql: "INSERT INTO customers (name) VALUES ('x')" });
    expect(textOf(q)).toMatch(/--readonly, so nothing can be written/);
    expect(sha256(db)).toBe(before);
  });
});

describe('--allow-write: the execute tool', () => {
  const db = join(tmp.dir, 'rw.db');
  let s: SqliteServer;
  beforeAll(async () => {
    s = await startSqliteServer([db, '--allow-write']);
  });
  afterAll(async () => s?.close());

  it('creates a missing file as an empty database and lists execute as destructive', async () => {
    expect(existsSync(db)).toBe(true);
    expect(textOf(await s.call('list_tables'))).toBe('The database has no tables.');
    expect(toolNamed(s, 'execute')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(s.client.getInstructions()).toMatch(/execute/);
  });

  it('runs DDL and DML, reports changes, and returns RETURNING rows', async () => {
    for (const sql of [
      'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price INTEGER, doubled INTEGER GENERATED ALWAYS AS (price * 2))',
      'CREATE TABLE tags (tag TEXT PRIMARY KEY, note TEXT) WITHOUT ROWID',
      'CREATE VIEW cheap AS SELECT * FROM items WHERE price < 10',
    ]) {
      const r = await s.call('execute', { sql });
      expect(r.isError, textOf(r)).toBeFalsy();
    }
    const ins = await s.call('execute', { sql: 'INSERT INTO items (name, price) VALUES (?, ?), (?, ?)', params: ['a', 5, 'b', 50] });
    expect(ins.structuredContent).toEqual({ changes: 2, lastInsertRowid: 2 });
    expect(validateStructured(toolNamed(s, 'execute'), ins)).toEqual([]);
    const upd = await s.call('execute', { sql: 'UPDATE items SET price = price + :add', params: { add: 1 } });
    expect(upd.structuredContent).toMatchObject({ changes: 2 });
    const del = await s.call('execute', { sql: 'DELETE FROM items WHERE price > 10 RETURNING name, doubled' });
    expect(del.structuredContent).toMatchObject({ changes: 1, columns: ['name', 'doubled'], rows: [['b', 102]] });
    expect(validateStructured(toolNamed(s, 'execute'), del)).toEqual([]);
    expect(textOf(del)).toMatch(/^1 row changed\.\nname \| doubled/);
  });

  it('insert_record: views are refused, generated columns are refused, WITHOUT ROWID tables have no rowid', async () => {
    expect(textOf(await s.call('insert_record', { table: 'cheap', values: { name: 'x' } }))).toMatch(/cheap is a view/);
    const view = await s.call('describe_table', { table: 'cheap' });
    expect(view.structuredContent).toMatchObject({ name: 'cheap', type: 'view', rowCount: null, primaryKey: [] });
    expect(validateStructured(toolNamed(s, 'describe_table'), view)).toEqual([]);
    const items = await s.call('describe_table', { table: 'items' });
    expect(validateStructured(toolNamed(s, 'describe_table'), items)).toEqual([]);
    expect(items.structuredContent).toMatchObject({ rowCount: 1, indexes: [{ origin: 'u', unique: true, columns: ['name'] }] });
    expect((items.structuredContent as { columns: { name: string; generated: boolean }[] }).columns.at(-1)).toMatchObject({
      name: 'doubled',
      generated: true,
    });
    expect(textOf(await s.call('insert_record', { table: 'items', values: { name: 'x', doubled: 4 } }))).toMatch(
      /doubled of items is generated/,
    );
    const tag = await s.call('insert_record', { table: 'tags', values: { tag: 'new' } });
    expect(tag.structuredContent).toEqual({ table: 'tags', rowid: null, row: { tag: 'new', note: null } });
    const item = await s.call('insert_record', { table: 'items', values: { name: 'c', price: 7 } });
    // Item 2 was deleted above and the table has no AUTOINCREMENT, so SQLite hands out rowid 2 again.
    expect(item.structuredContent).toMatchObject({ rowid: 2, row: { id: 2, name: 'c', price: 7, doubled: 14 } });
  });

  it('refuses reads and connection statements, and what it refuses leaves no trace', async () => {
    const before = sha256(db);
    for (const sql of [
      'SELECT * FROM items',
      `ATTACH DATABASE '${join(tmp.dir, 'other.db')}' AS o`,
      'BEGIN',
      'PRAGMA foreign_keys = OFF',
      'PRAGMA ignore_check_constraints = ON',
    ]) {
      const r = await s.call('execute', { sql });
      expect(r.isError, sql).toBe(true);
      expect(textOf(r)).toMatch(/SQLite reports this one as read-only/);
    }
    expect(sha256(db)).toBe(before);
    expect(existsSync(join(tmp.dir, 'other.db'))).toBe(false);
    // foreign_keys = OFF took effect while SQLite prepared it, on a connection that is gone now.
    await s.call('execute', { sql: 'CREATE TABLE child (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES items (id))' });
    const orphan = await s.call('execute', { sql: 'INSERT INTO child (item_id) VALUES (999)' });
    expect(textOf(orphan)).toMatch(/SQLITE_CONSTRAINT_FOREIGNKEY/);
    const defaults = await s.call('insert_record', { table: 'child', values: {} });
    expect(defaults.structuredContent).toEqual({ table: 'child', rowid: 1, row: { id: 1, item_id: null } });
  });

  it('reports syntax errors and constraint violations as tool errors', async () => {
    const syntax = await s.call('execute', { sql: 'UPDATE items SET price = WHERE id = 1' });
    expect(textOf(syntax)).toMatch(/^SQL syntax error near "WHERE" \(line 1, column 26\)/);
    const dup = await s.call('execute', { sql: "INSERT INTO items (name) VALUES ('a')" });
    expect(textOf(dup)).toMatch(/SQLITE_CONSTRAINT_UNIQUE.*items\.name/);
    const two = await s.call('execute', { sql: 'DELETE FROM items; DROP TABLE items' });
    expect(textOf(two)).toMatch(/Only one SQL statement per call/);
    const left = await s.call('query', { sql: 'SELECT count(*) FROM items' });
    expect((left.structuredContent as { rows: unknown[] }).rows).toEqual([[2]]);
  });
});

describe('a busy database', () => {
  const db = join(tmp.dir, 'busy.db');
  let s: SqliteServer;
  let holder: Database.Database;
  beforeAll(async () => {
    s = await startSqliteServer([db, '--demo', '--busy-timeout', '100']);
    holder = new Database(db);
  });
  afterAll(async () => {
    if (holder?.inTransaction) holder.exec('ROLLBACK');
    holder?.close();
    await s?.close();
  });

  it('is retried, then reported as a tool error while another process holds the lock', async () => {
    holder.exec('BEGIN EXCLUSIVE');
    const q = await s.call('query', { sql: 'SELECT count(*) FROM customers' });
    expect(q.isError).toBe(true);
    expect(textOf(q)).toMatch(/The database is busy.*SQLITE_BUSY/);
    const ins = await s.call('insert_record', { table: 'customers', values: { name: 'x' } });
    expect(textOf(ins)).toMatch(/The database is busy/);
    holder.exec('ROLLBACK');
    const ok = await s.call('query', { sql: 'SELECT count(*) FROM customers' });
    expect((ok.structuredContent as { rows: unknown[] }).rows).toEqual([[48]]);
  });

  it('succeeds when the lock is released while the server is retrying', async () => {
    holder.exec('BEGIN EXCLUSIVE');
    setTimeout(() => holder.exec('ROLLBACK'), 150);
    const q = await s.call('query', { sql: 'SELECT count(*) FROM orders' });
    expect(q.isError, textOf(q)).toBeFalsy();
    expect((q.structuredContent as { rows: unknown[] }).rows).toEqual([[320]]);
  });
});

describe('startup, exit codes and lifecycle', () => {
  it('a path in a missing directory is a usage error on stderr (exit 2), nothing on stdout', async () => {
    const r = await runCli(['serve', 'sqlite', join(tmp.dir, 'no/such/dir/x.db'), '--demo']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^mcpsh: cannot open the SQLite database .*x\.db: the directory .*dir does not exist\n {2}hint: /);
  });

  it('a missing file without --demo or --allow-write is an error and is not created', async () => {
    const file = join(tmp.dir, 'typo.db');
    const r = await runCli(['serve', 'sqlite', file]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/does not exist\n {2}hint: .*--demo/);
    expect(existsSync(file)).toBe(false);
  });

  it('a file that is not a database, conflicting flags and a bad --max-rows are usage errors', async () => {
    const junk = join(tmp.dir, 'junk.db');
    writeFileSync(junk, 'this is not sqlite, just text long enough to have a header............................................');
    const notDb = await runCli(['serve', 'sqlite', junk]);
    expect(notDb.code).toBe(2);
    expect(notDb.stderr).toMatch(/file is not a database/);
    const both = await runCli(['serve', 'sqlite', junk, '--readonly', '--allow-write']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--readonly and --allow-write cannot be used together/);
    const rows = await runCli(['serve', 'sqlite', junk, '--max-rows', '0']);
    expect(rows.code).toBe(2);
    expect(rows.stderr).toMatch(/expected a whole number/);
  });

  it('--help names the tools and shows a config entry', async () => {
    const r = await runCli(['serve', 'sqlite', '--help']);
    expect(r.code).toBe(0);
    for (const word of ['list_tables', 'describe_table', 'query', 'insert_record', 'execute', '--max-rows', '"mcpServers"']) {
      expect(r.stdout).toContain(word);
    }
  });

  it('exits 0 when stdin closes, printing nothing on stdout', async () => {
    const r = await runCli(['serve', 'sqlite', join(tmp.dir, 'eof.db'), '--demo']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/serving .*eof\.db/);
  });

  it('exits on SIGTERM with the signal exit code', async () => {
    const r = await runCli(['serve', 'sqlite', join(tmp.dir, 'term.db'), '--demo'], { killWith: 'SIGTERM' });
    expect(r.code).toBe(143);
    expect(r.stdout).toBe('');
  });

  it('--demo is deterministic, and leaves a database that already has tables alone', async () => {
    const a = join(tmp.dir, 'demo-a.db');
    const b = join(tmp.dir, 'demo-b.db');
    await runCli(['serve', 'sqlite', a, '--demo']);
    await runCli(['serve', 'sqlite', b, '--demo']);
    const dump = (file: string): unknown => {
      const d = new Database(file, { readonly: true });
      try {
        return [d.prepare('SELECT * FROM customers ORDER BY id').all(), d.prepare('SELECT * FROM orders ORDER BY id').all()];
      } finally {
        d.close();
      }
    };
    expect(dump(a)).toEqual(dump(b));

    const own = join(tmp.dir, 'own.db');
    const d = new Database(own);
    d.exec('CREATE TABLE notes (body TEXT)');
    d.close();
    const r = await runCli(['serve', 'sqlite', own, '--demo']);
    expect(r.stderr).toMatch(/has tables already, demo data not added/);
    const check = new Database(own, { readonly: true });
    const tables = check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    check.close();
    expect(tables).toEqual(['notes']);
  });

  it('registering the command (and loading its modules) does not load better-sqlite3; serving does', () => {
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('better-sqlite3'));
      const { buildProgram } = await import('./dist/cli.js');
      buildProgram({}, () => {});
      await import('./dist/commands/serve-sqlite.js');
      const before = loaded();
      await import('./dist/servers/sqlite/serve.js');
      const server = loaded();
      // The driver loads when the server starts serving; here, directly, to show the check sees it.
      await (await import('./dist/servers/sqlite-driver.js')).loadSqliteDriver('test');
      console.log(JSON.stringify({ before, server, driver: loaded() }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ before: false, server: false, driver: true });
  });
});
