// The write tools: insert_record (always listed; names checked against the real schema, values bound as
// parameters) and execute (only with --allow-write). Both run on the write connection, never on the reader.
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { withBusyRetry, type Connection, type OpenDatabase } from './database.js';
import { formatTable, toCell } from './format.js';
import { quoteIdent, resolveTable, rowObject, tableColumns, unknownTableMessage } from './schema-info.js';
import {
  bindArgs,
  executeOutputSchema,
  insertOutputSchema,
  insertValue,
  insertValueSchema,
  paramsSchema,
  sqlSchema,
  tableNameSchema,
  type BindValue,
  type Params,
} from './shapes.js';
import { describeSqlError, toolError } from './tool-errors.js';
import { collectRows } from './tools-read.js';

type InsertValues = Record<string, z.infer<typeof insertValueSchema>>;

/** SQLite compares identifiers case-insensitively for ASCII letters only; fold the same way. */
const foldAscii = (name: string): string => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

function insertRecord(w: Connection, table: string, values: InsertValues): CallToolResult {
  const found = resolveTable(w, table, ['table']);
  if (!found) {
    const view = resolveTable(w, table, ['view']);
    return toolError(view ? `${view.name} is a view; insert_record inserts into tables.` : unknownTableMessage(w, table, 'table'));
  }
  const columns = tableColumns(w, found.name);
  const byName = new Map(columns.map((c) => [foldAscii(c.name), c]));
  const names: string[] = [];
  const binds: BindValue[] = [];
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const col = byName.get(foldAscii(key));
    if (!col) {
      unknown.push(key);
      continue;
    }
    if (col.generated) return toolError(`Column ${col.name} of ${found.name} is generated; SQLite computes it, so leave it out.`);
    if (names.includes(col.name)) return toolError(`Column ${col.name} is given twice (column names are case-insensitive).`);
    names.push(col.name);
    binds.push(insertValue(value));
  }
  if (unknown.length > 0) {
    const settable = columns.filter((c) => !c.generated).map((c) => c.name);
    return toolError(
      `No column ${unknown.map((u) => JSON.stringify(u)).join(', ')} in table ${found.name}. Its columns are: ${settable.join(', ')}. Nothing was written.`,
    );
  }
  const kind = w.prepare("SELECT type, wr FROM pragma_table_list WHERE schema = 'main' AND name = ?").get(found.name) as
    { type: string; wr: number } | undefined;
  // Virtual tables (FTS and the like) do not support RETURNING.
  const returning = kind?.type === 'virtual' ? '' : ' RETURNING *';
  const target = quoteIdent(found.name);
  const sql =
    names.length === 0
      ? `INSERT INTO ${target} DEFAULT VALUES${returning}`
      : `INSERT INTO ${target} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map(() => '?').join(', ')})${returning}`;
  const stmt = w.prepare(sql);
  let row: Record<string, ReturnType<typeof toCell>> = {};
  if (returning) {
    stmt.safeIntegers(true);
    const rows = stmt.all(...binds) as Record<string, unknown>[];
    row = rowObject(rows[0] ?? {});
  } else {
    stmt.run(...binds);
  }
  const rowid = kind?.wr === 1 ? null : toCell(w.prepare('SELECT last_insert_rowid()').pluck().safeIntegers(true).get());
  const text = `Inserted 1 row into ${found.name}${rowid === null ? '' : ` (rowid ${rowid})`}.\n${JSON.stringify(row, null, 2)}`;
  return { content: [{ type: 'text', text }], structuredContent: { table: found.name, rowid, row } };
}

function runExecute(c: Connection, sql: string, params: Params, maxRows: number): CallToolResult {
  const stmt = c.prepare(sql);
  // SQLite calls ATTACH, BEGIN and PRAGMA settings read-only: they change the connection, not the file.
  if (stmt.readonly) {
    return toolError(
      'Refused: execute runs statements that change the database, and SQLite reports this one as read-only. Use query for reads; ATTACH, DETACH, BEGIN/COMMIT and PRAGMA settings are not allowed.',
    );
  }
  const returned = stmt.reader ? collectRows(stmt, params, maxRows) : undefined;
  const changes = returned ? Number(c.prepare('SELECT changes()').pluck().get()) : stmt.run(...bindArgs(params)).changes;
  const lastInsertRowid = toCell(c.prepare('SELECT last_insert_rowid()').pluck().safeIntegers(true).get()) ?? 0;
  const lines = [`${changes} row${changes === 1 ? '' : 's'} changed.`];
  if (returned) lines.push(formatTable(returned.columns, returned.rows, returned.truncated, maxRows));
  return {
    content: [{ type: 'text', text: lines.join('\n') }],
    structuredContent: returned
      ? { changes, lastInsertRowid, columns: returned.columns, rows: returned.rows }
      : { changes, lastInsertRowid },
  };
}

export function registerWriteTools(server: McpServer, db: OpenDatabase, opts: { maxRows: number; allowWrite: boolean }): void {
  const { writer } = db;

  server.registerTool(
    'insert_record',
    {
      title: 'Insert a record',
      description:
        'Insert one row into a table. `values` maps column names to values; table and column names are checked against the real schema and values are bound as parameters. Returns the new rowid and the stored row (defaults included).',
      inputSchema: z.object({
        table: tableNameSchema,
        values: z
          .record(z.string(), insertValueSchema)
          .describe(
            'Column name -> value. Objects and arrays are stored as JSON text, booleans as 1/0. Leave out columns to get their defaults.',
          ),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      outputSchema: insertOutputSchema,
    },
    async ({ table, values }): Promise<CallToolResult> => {
      if (!writer) {
        return toolError(
          'This server was started with --readonly, so insert_record cannot write. Restart it without --readonly to allow inserts.',
        );
      }
      try {
        return await withBusyRetry(() => insertRecord(writer, table, values));
      } catch (err) {
        return toolError(describeSqlError(err));
      }
    },
  );

  if (!opts.allowWrite || !writer) return;

  server.registerTool(
    'execute',
    {
      title: 'Execute a write statement',
      description:
        'Run one SQL statement that changes the database (INSERT, UPDATE, DELETE, CREATE, DROP, ALTER …) and return the number of changed rows (and the rows of a RETURNING clause). Use query for reads. ATTACH, DETACH, transactions and PRAGMA settings are refused.',
      inputSchema: z.object({ sql: sqlSchema, params: paramsSchema }),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
      outputSchema: executeOutputSchema,
    },
    async ({ sql, params }): Promise<CallToolResult> => {
      // A fresh connection per call: see OpenDatabase.openQueryConnection for why.
      let conn: Connection | undefined;
      try {
        conn = db.openExecuteConnection();
        const c = conn;
        return await withBusyRetry(() => runExecute(c, sql, params, opts.maxRows));
      } catch (err) {
        return toolError(describeSqlError(err, sql));
      } finally {
        conn?.close();
      }
    },
  );
}
