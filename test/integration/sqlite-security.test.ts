// The origin article's attacks against `mcpsh serve sqlite`, through a real MCP client: each one must be refused
// (or, for a harmless read, at most read) and leave the database file byte-for-byte unchanged.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, sha256, startSqliteServer, textOf, type SqliteServer } from './sqlite/harness.js';

describe('serve sqlite: injection and escape attempts change nothing', () => {
  const tmp = makeTempDir();
  const db = join(tmp.dir, 'shop.db');
  const outside = join(tmp.dir, 'outside.db');
  const fresh = join(tmp.dir, 'x.db');
  let s: SqliteServer;

  beforeAll(async () => {
    s = await startSqliteServer([db, '--demo']);
    // A real database the attacker would like to reach through ATTACH.
    const other = new Database(outside);
    other.exec("CREATE TABLE secrets (v TEXT); INSERT INTO secrets VALUES ('s3cret')");
    other.close();
  });
  afterAll(async () => {
    await s?.close();
    tmp.remove();
  });

  /** Calls a tool and returns the result, asserting the database file did not change. */
  async function unchanged(tool: string, args: Record<string, unknown>) {
    const before = sha256(db);
    const r = await s.call(tool, args);
    expect(sha256(db), `${tool} ${JSON.stringify(args)} changed the file`).toBe(before);
    return r;
  }

  async function counts(): Promise<unknown> {
    return (await s.call('query', { sql: 'SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders)' })).structuredContent;
  }

  const refusedQueries: [string, RegExp][] = [
    ['SELECT * FROM customers; DROP TABLE customers;', /Only one SQL statement per call/],
    ['DROP TABLE customers', /would change the database/],
    ['DELETE FROM orders', /would change the database/],
    ["UPDATE customers SET email = 'x'", /would change the database/],
    ["INSERT INTO customers (name) VALUES ('x') RETURNING id", /would change the database/],
    ['WITH doomed AS (SELECT 1) DELETE FROM orders', /would change the database/],
    ['VACUUM', /would change the database/],
    ['PRAGMA journal_mode = WAL', /would change the database/],
    [`ATTACH DATABASE '${fresh}' AS x`, /ATTACH/],
    [`ATTACH DATABASE '${outside}' AS x`, /ATTACH/],
    ['PRAGMA writable_schema = ON', /setting a PRAGMA/],
    ['PRAGMA query_only = OFF', /setting a PRAGMA/],
    ['BEGIN', /BEGIN/],
    ['BEGIN IMMEDIATE', /would change the database/],
    ["SELECT load_extension('/tmp/evil.so')", /not authorized/],
  ];

  for (const [sql, message] of refusedQueries) {
    it(`query refuses: ${sql}`, async () => {
      const r = await unchanged('query', { sql });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(message);
    });
  }

  it('ATTACH created no file and attached nothing; the connection still sees only main', async () => {
    expect(existsSync(fresh)).toBe(false);
    const r = await unchanged('query', { sql: 'SELECT name FROM pragma_database_list ORDER BY seq' });
    expect((r.structuredContent as { rows: unknown[] }).rows).toEqual([['main']]);
    const secret = await unchanged('query', { sql: 'SELECT * FROM x.secrets' });
    expect(secret.isError).toBe(true);
  });

  it('PRAGMAs that SQLite applies while preparing do not outlive the call', async () => {
    // EXPLAIN makes this a row-returning statement, and SQLite flips query_only while compiling it.
    const explained = await unchanged('query', { sql: 'EXPLAIN PRAGMA query_only = OFF' });
    expect(explained.isError).toBeFalsy();
    const locked = await unchanged('query', { sql: 'PRAGMA locking_mode = EXCLUSIVE' });
    expect((locked.structuredContent as { rows: unknown[] }).rows).toEqual([['exclusive']]);
    const r = await unchanged('query', { sql: 'SELECT * FROM pragma_writable_schema, pragma_query_only, pragma_locking_mode' });
    expect((r.structuredContent as { rows: unknown[] }).rows).toEqual([[0, 1, 'normal']]);
    const write = await unchanged('query', { sql: "INSERT INTO customers (name) VALUES ('x')" });
    expect(write.isError).toBe(true);
    // No lock lingers from the EXCLUSIVE locking mode: the writer can still insert.
    const insert = await s.call('insert_record', { table: 'orders', values: { customer_id: 1, product_name: 'probe', amount: 1 } });
    expect(insert.isError).toBeFalsy();
    const id = (insert.structuredContent as { rowid: number }).rowid;
    const del = await s.call('query', { sql: 'SELECT count(*) FROM orders WHERE id = ?', params: [id] });
    expect((del.structuredContent as { rows: unknown[] }).rows).toEqual([[1]]);
  });

  it('a UNION into sqlite_master is a read: allowed, and it changes nothing', async () => {
    const r = await unchanged('query', {
      sql: "SELECT name FROM customers WHERE id = 1 UNION SELECT sql FROM sqlite_master WHERE name = 'orders'",
    });
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as { rowCount: number }).rowCount).toBe(2);
  });

  it('insert_record refuses table and column names that are not in the schema', async () => {
    const before = await counts();
    const attempts: [Record<string, unknown>, RegExp][] = [
      [{ table: 'customers; DROP TABLE orders', values: { name: 'x' } }, /No table named "customers; DROP TABLE orders"/],
      [{ table: 'customers (name) VALUES (1); DROP TABLE orders; --', values: { name: 'x' } }, /No table named/],
      [{ table: 'sqlite_master', values: { type: 'table' } }, /No table named "sqlite_master"/],
      [{ table: 'customers', values: { 'name" , "email': 'x' } }, /No column "name\\" , \\"email"/],
      [{ table: 'customers', values: { "name) VALUES ('x'); DROP TABLE orders; --": 'x' } }, /No column/],
      [{ table: 'customers', values: { name: 'a', NAME: 'b' } }, /given twice/],
    ];
    for (const [args, message] of attempts) {
      const r = await unchanged('insert_record', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(r)).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('describe_table refuses an injected name', async () => {
    const r = await unchanged('describe_table', { table: 'customers); DROP TABLE orders; --' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/No table or view named/);
  });

  it('SQL inside a value is stored as plain text, never run', async () => {
    const evil = "Robert'); DROP TABLE orders; --";
    const r = await s.call('insert_record', { table: 'customers', values: { name: evil, email: 'bobby@example.com' } });
    expect(r.isError).toBeFalsy();
    const back = await s.call('query', { sql: 'SELECT name FROM customers WHERE email = ?', params: ['bobby@example.com'] });
    expect((back.structuredContent as { rows: unknown[] }).rows).toEqual([[evil]]);
    expect(await counts()).toMatchObject({ rows: [[49, 321]] });
  });
});
