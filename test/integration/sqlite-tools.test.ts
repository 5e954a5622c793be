// `mcpsh serve sqlite --demo` through a real MCP client over stdio: every tool's happy path and bad input,
// structured results checked against the listed output schemas, and truthful annotations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { TableDescription } from '../../src/servers/sqlite/schema-info.js';
import { makeTempDir, startSqliteServer, textOf, toolNamed, validateStructured, type SqliteServer } from './sqlite/harness.js';

describe('serve sqlite --demo (default mode)', () => {
  const tmp = makeTempDir();
  let s: SqliteServer;

  beforeAll(async () => {
    s = await startSqliteServer([join(tmp.dir, 'demo.db'), '--demo']);
  });
  afterAll(async () => {
    await s?.close();
    tmp.remove();
  });

  it('lists the four tools with truthful annotations, no execute, and instructions', () => {
    expect(s.tools.map((t) => t.name).sort()).toEqual(['describe_table', 'insert_record', 'list_tables', 'query']);
    for (const name of ['list_tables', 'describe_table', 'query']) {
      expect(toolNamed(s, name)?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(toolNamed(s, name)?.outputSchema).toBeDefined();
    }
    expect(toolNamed(s, 'insert_record')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(s.client.getInstructions()).toMatch(/list_tables/);
    expect(s.stderr()).toMatch(/demo data created/);
  });

  it('list_tables shows the demo tables and their columns', async () => {
    const r = await s.call('list_tables');
    expect(r.isError).toBeFalsy();
    expect(validateStructured(toolNamed(s, 'list_tables'), r)).toEqual([]);
    const tables = (r.structuredContent as { tables: { name: string; columns: string[] }[] }).tables;
    expect(tables.map((t) => t.name)).toEqual(['customers', 'orders']);
    expect(tables[1]?.columns).toEqual(['id', 'customer_id', 'product_name', 'quantity', 'amount', 'status', 'order_date']);
    expect(textOf(r)).toContain('customers (table): id, name, email, city, created_at');
  });

  it('describe_table reports columns, keys, foreign keys, indexes and row count (names match case-insensitively)', async () => {
    const r = await s.call('describe_table', { table: 'ORDERS' });
    expect(r.isError).toBeFalsy();
    expect(validateStructured(toolNamed(s, 'describe_table'), r)).toEqual([]);
    const d = r.structuredContent as unknown as TableDescription;
    expect(d.name).toBe('orders');
    expect(d.primaryKey).toEqual(['id']);
    expect(d.rowCount).toBe(320);
    expect(d.foreignKeys).toEqual([
      { columns: ['customer_id'], table: 'customers', to: ['id'], onUpdate: 'NO ACTION', onDelete: 'NO ACTION' },
    ]);
    expect(d.indexes.map((i) => i.name).sort()).toEqual(['idx_orders_customer_id', 'idx_orders_order_date']);
    expect(d.columns.find((c) => c.name === 'status')).toEqual({
      name: 'status',
      type: 'TEXT',
      notNull: true,
      default: "'pending'",
      primaryKey: 0,
      generated: false,
    });
    expect(textOf(r)).toContain('(customer_id) -> customers(id)');
    const customers = (await s.call('describe_table', { table: 'customers' })).structuredContent as unknown as TableDescription;
    expect(customers.indexes).toEqual([
      { name: 'sqlite_autoindex_customers_1', unique: true, origin: 'u', partial: false, columns: ['email'] },
    ]);
  });

  it('describe_table: an unknown table is a tool error naming the tables that exist', async () => {
    const r = await s.call('describe_table', { table: 'clients' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/No table or view named "clients".*customers, orders/);
    const empty = await s.call('describe_table', { table: '' });
    expect(empty.isError).toBe(true);
  });

  it("query returns the article's customers as a text table and as structured content", async () => {
    const r = await s.call('query', { sql: 'SELECT id, name, email FROM customers WHERE id <= 3 ORDER BY id' });
    expect(r.isError).toBeFalsy();
    expect(validateStructured(toolNamed(s, 'query'), r)).toEqual([]);
    expect(r.structuredContent).toEqual({
      columns: ['id', 'name', 'email'],
      rows: [
        [1, 'Nguyễn Văn An', 'an@example.com'],
        [2, 'Trần Thị Bình', 'binh@example.com'],
        [3, 'Lê Văn Cường', 'cuong@example.com'],
      ],
      rowCount: 3,
      truncated: false,
    });
    expect(textOf(r).split('\n')).toEqual([
      'id | name          | email',
      '---+---------------+------------------',
      ' 1 | Nguyễn Văn An | an@example.com',
      ' 2 | Trần Thị Bình | binh@example.com',
      ' 3 | Lê Văn Cường  | cuong@example.com',
      '(3 rows)',
    ]);
  });

  it("the article's orders and amounts are there, with enough rows for aggregates", async () => {
    const article = await s.call('query', { sql: 'SELECT customer_id, product_name, amount FROM orders WHERE id <= 4 ORDER BY id' });
    expect((article.structuredContent as { rows: unknown[] }).rows).toEqual([
      [1, 'Laptop Dell XPS', 25000000],
      [1, 'Mouse Logitech', 500000],
      [2, 'iPhone 15', 30000000],
      [3, 'Headphones Sony', 2000000],
    ]);
    const agg = await s.call('query', {
      sql: 'SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders), (SELECT count(DISTINCT city) FROM customers), (SELECT count(DISTINCT status) FROM orders), (SELECT count(DISTINCT substr(order_date, 1, 7)) FROM orders)',
    });
    const [customers, orders, cities, statuses, months] = (agg.structuredContent as { rows: number[][] }).rows[0] ?? [];
    expect(customers).toBe(48);
    expect(orders).toBe(320);
    expect(cities).toBeGreaterThanOrEqual(6);
    expect(statuses).toBe(6);
    expect(months).toBeGreaterThanOrEqual(17);
  });

  it('query binds positional and named parameters', async () => {
    const pos = await s.call('query', {
      sql: 'SELECT name FROM customers WHERE id = ? OR email = ? ORDER BY id',
      params: [1, 'binh@example.com'],
    });
    expect((pos.structuredContent as { rows: unknown[] }).rows).toEqual([['Nguyễn Văn An'], ['Trần Thị Bình']]);
    const named = await s.call('query', {
      sql: 'SELECT name FROM customers WHERE email = :email AND id > @min',
      params: { email: 'cuong@example.com', '@min': 0 },
    });
    expect((named.structuredContent as { rows: unknown[] }).rows).toEqual([['Lê Văn Cường']]);
    const injected = await s.call('query', { sql: 'SELECT count(*) FROM customers WHERE name = ?', params: ["' OR '1'='1"] });
    expect((injected.structuredContent as { rows: unknown[] }).rows).toEqual([[0]]);
    const missing = await s.call('query', { sql: 'SELECT * FROM customers WHERE id = :id', params: {} });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/Parameter error/);
  });

  it('query stops at the row limit and says so, even for an endless recursive query', async () => {
    const all = await s.call('query', { sql: 'SELECT * FROM orders' });
    expect(all.structuredContent).toMatchObject({ rowCount: 320, truncated: false });
    const endless = await s.call('query', { sql: 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n' });
    expect(endless.isError).toBeFalsy();
    expect(endless.structuredContent).toMatchObject({ rowCount: 500, truncated: true });
    expect(validateStructured(toolNamed(s, 'query'), endless)).toEqual([]);
    expect(textOf(endless)).toMatch(/\(500 rows\) truncated: only the first 500 rows are shown/);
  });

  it('query renders NULLs, big integers and blobs safely', async () => {
    const r = await s.call('query', { sql: "SELECT NULL AS n, 9007199254740993 AS big, x'CAFE' AS b, 'two\nlines' AS t" });
    expect(r.structuredContent).toMatchObject({ rows: [[null, '9007199254740993', "X'CAFE'", 'two\nlines']] });
    expect(validateStructured(toolNamed(s, 'query'), r)).toEqual([]);
    expect(textOf(r)).toContain("NULL | 9007199254740993 | X'CAFE' | two\\nlines");
  });

  it('query reports syntax errors with the token and its position, unknown tables and columns with advice', async () => {
    const syntax = await s.call('query', { sql: 'SELECT name\nFORM customers' });
    expect(syntax.isError).toBe(true);
    expect(textOf(syntax)).toBe('SQL syntax error near "customers" (line 2, column 6): near "customers": syntax error');
    const table = await s.call('query', { sql: 'SELECT * FROM clients' });
    expect(textOf(table)).toMatch(/^no such table: clients\. Call list_tables/);
    const column = await s.call('query', { sql: 'SELECT nmae FROM customers' });
    expect(textOf(column)).toMatch(/^no such column: nmae\. Call describe_table/);
    const empty = await s.call('query', { sql: '-- nothing' });
    expect(textOf(empty)).toMatch(/empty/);
  });

  it('query refuses writes, naming insert_record and --allow-write', async () => {
    const r = await s.call('query', { sql: "INSERT INTO customers (name) VALUES ('x')" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/SQLite reports that this one would change the database.*insert_record.*--allow-write/);
    const count = await s.call('query', { sql: "SELECT count(*) FROM customers WHERE name = 'x'" });
    expect((count.structuredContent as { rows: unknown[] }).rows).toEqual([[0]]);
  });

  it('insert_record inserts with bound values and returns the rowid and the stored row', async () => {
    const r = await s.call('insert_record', {
      table: 'Customers',
      values: { NAME: "Phạm Thị D'Arc", email: 'darc@example.com', city: 'Huế', created_at: '2025-07-01 10:00:00' },
    });
    expect(r.isError).toBeFalsy();
    expect(validateStructured(toolNamed(s, 'insert_record'), r)).toEqual([]);
    expect(r.structuredContent).toEqual({
      table: 'customers',
      rowid: 49,
      row: { id: 49, name: "Phạm Thị D'Arc", email: 'darc@example.com', city: 'Huế', created_at: '2025-07-01 10:00:00' },
    });
    expect(textOf(r)).toMatch(/^Inserted 1 row into customers \(rowid 49\)\./);
    const order = await s.call('insert_record', {
      table: 'orders',
      values: { customer_id: 49, product_name: 'AirPods Pro', amount: 6000000 },
    });
    const row = (order.structuredContent as { row: Record<string, unknown> }).row;
    expect(row).toMatchObject({ customer_id: 49, quantity: 1, status: 'pending' });
    expect(row.order_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const seen = await s.call('query', {
      sql: 'SELECT c.name, o.product_name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.id = 49',
    });
    expect((seen.structuredContent as { rows: unknown[] }).rows).toEqual([["Phạm Thị D'Arc", 'AirPods Pro']]);
  });

  it('insert_record: unknown table or column, and constraint violations, are tool errors that write nothing', async () => {
    const before = (await s.call('query', { sql: 'SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders)' }))
      .structuredContent;
    const table = await s.call('insert_record', { table: 'clients', values: { name: 'x' } });
    expect(textOf(table)).toMatch(/No table named "clients".*customers, orders/);
    const column = await s.call('insert_record', { table: 'customers', values: { name: 'x', phone: '123' } });
    expect(textOf(column)).toBe(
      'No column "phone" in table customers. Its columns are: id, name, email, city, created_at. Nothing was written.',
    );
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ table: 'customers', values: { name: 'Dup', email: 'an@example.com' } }, /SQLITE_CONSTRAINT_UNIQUE.*customers\.email/],
      [{ table: 'customers', values: { email: 'noname@example.com' } }, /SQLITE_CONSTRAINT_NOTNULL.*customers\.name/],
      [{ table: 'orders', values: { customer_id: 99999, product_name: 'x', amount: 1 } }, /SQLITE_CONSTRAINT_FOREIGNKEY/],
      [{ table: 'orders', values: { customer_id: 1, product_name: 'x', amount: 1, status: 'lost' } }, /SQLITE_CONSTRAINT_CHECK/],
    ];
    for (const [args, message] of cases) {
      const r = await s.call('insert_record', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(r)).toMatch(message);
    }
    const bad = await s.call('insert_record', { table: 'customers', values: 'name=x' });
    expect(bad.isError).toBe(true);
    const after = (await s.call('query', { sql: 'SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders)' }))
      .structuredContent;
    expect(after).toEqual(before);
  });

  it('insert_record stores booleans as 1/0 and objects as JSON text', async () => {
    const r = await s.call('insert_record', {
      table: 'customers',
      values: { name: 'JSON', email: 'json@example.com', city: { name: 'Hà Nội', district: 'Ba Đình' } },
    });
    expect((r.structuredContent as { row: { city: string } }).row.city).toBe('{"name":"Hà Nội","district":"Ba Đình"}');
    const read = await s.call('query', {
      sql: "SELECT city ->> '$.district' FROM customers WHERE email = ?",
      params: ['json@example.com'],
    });
    expect((read.structuredContent as { rows: unknown[] }).rows).toEqual([['Ba Đình']]);
  });
});
