// The read tools: list_tables, describe_table and query. All of them run on the read-only connection, and query
// accepts a statement only when SQLite itself says it is read-only and returns rows; the SQL text is never inspected.
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { withBusyRetry, type OpenDatabase } from './database.js';
import { formatTable, toCell, type Cell } from './format.js';
import { describeTable, formatDescription, listTables, resolveTable, unknownTableMessage } from './schema-info.js';
import {
  bindArgs,
  describeTableOutputSchema,
  listTablesOutputSchema,
  paramsSchema,
  queryOutputSchema,
  sqlSchema,
  tableNameSchema,
  type Params,
} from './shapes.js';
import { describeSqlError, toolError } from './tool-errors.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export interface QueryResult {
  columns: string[];
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
}

/** Runs a prepared statement that returns rows, keeping at most maxRows and noting whether more existed. */
export function collectRows(stmt: Database.Statement<unknown[]>, params: Params, maxRows: number): QueryResult {
  stmt.raw(true).safeIntegers(true);
  const columns = stmt.columns().map((c) => c.name);
  const rows: Cell[][] = [];
  let truncated = false;
  // Breaking out of the iterator resets the statement, so an endless recursive CTE stops at the row limit.
  for (const row of stmt.iterate(...bindArgs(params)) as IterableIterator<unknown[]>) {
    if (rows.length >= maxRows) {
      truncated = true;
      break;
    }
    rows.push(row.map(toCell));
  }
  return { columns, rows, rowCount: rows.length, truncated };
}

export function registerReadTools(
  server: McpServer,
  db: OpenDatabase,
  opts: { maxRows: number; allowWrite: boolean; readonly: boolean },
): void {
  const { reader } = db;

  server.registerTool(
    'list_tables',
    {
      title: 'List tables',
      description: 'List the tables and views of the database, with their column names.',
      annotations: READ_ONLY,
      outputSchema: listTablesOutputSchema,
    },
    async (): Promise<CallToolResult> => {
      try {
        const tables = await withBusyRetry(() => listTables(reader));
        const text =
          tables.length === 0
            ? 'The database has no tables.'
            : tables.map((t) => `${t.name} (${t.type}): ${t.columns.join(', ')}`).join('\n');
        return { content: [{ type: 'text', text }], structuredContent: { tables } };
      } catch (err) {
        return toolError(describeSqlError(err));
      }
    },
  );

  server.registerTool(
    'describe_table',
    {
      title: 'Describe a table',
      description:
        'Describe one table or view: columns (type, NOT NULL, default, primary key), foreign keys, indexes, row count and its CREATE statement.',
      inputSchema: z.object({ table: tableNameSchema }),
      annotations: READ_ONLY,
      outputSchema: describeTableOutputSchema,
    },
    async ({ table }): Promise<CallToolResult> => {
      try {
        return await withBusyRetry(() => {
          const found = resolveTable(reader, table);
          if (!found) return toolError(unknownTableMessage(reader, table));
          const d = describeTable(reader, found);
          return { content: [{ type: 'text', text: formatDescription(d) }], structuredContent: { ...d } };
        });
      } catch (err) {
        return toolError(describeSqlError(err));
      }
    },
  );

  const writeAdvice = opts.readonly
    ? 'This server was started with --readonly, so nothing can be written.'
    : opts.allowWrite
      ? 'To add a row use insert_record; for other changes use execute.'
      : 'To add a row use insert_record; other changes need the server started with --allow-write.';

  server.registerTool(
    'query',
    {
      title: 'Run a read-only SQL query',
      description: `Run one read-only SQL statement (SELECT, WITH … SELECT, VALUES, EXPLAIN, or reading a PRAGMA) and return its rows, at most ${opts.maxRows} (then "truncated" is true). Use params for values instead of putting them in the SQL text. Read-only is enforced by SQLite on a read-only connection: statements that would write are refused.`,
      inputSchema: z.object({ sql: sqlSchema, params: paramsSchema }),
      annotations: READ_ONLY,
      outputSchema: queryOutputSchema,
    },
    async ({ sql, params }): Promise<CallToolResult> => {
      let conn: Database.Database | undefined;
      try {
        conn = db.openQueryConnection();
        const c = conn;
        return await withBusyRetry(() => {
          // better-sqlite3 refuses to prepare more than one statement, so `…; DROP TABLE …` never gets this far.
          const stmt = c.prepare(sql);
          if (!stmt.readonly) {
            return toolError(
              `Refused: query only runs read-only statements, and SQLite reports that this one would change the database. ${writeAdvice}`,
            );
          }
          if (!stmt.reader) {
            return toolError(
              'Refused: query only runs statements that return rows (SELECT, WITH … SELECT, VALUES, EXPLAIN, or reading a PRAGMA). This one returns none: statements like ATTACH, DETACH, BEGIN, or setting a PRAGMA would only change the connection, so they are not allowed.',
            );
          }
          const result = collectRows(stmt, params, opts.maxRows);
          const text = formatTable(result.columns, result.rows, result.truncated, opts.maxRows);
          return { content: [{ type: 'text', text }], structuredContent: { ...result } };
        });
      } catch (err) {
        return toolError(describeSqlError(err, sql));
      } finally {
        conn?.close();
      }
    },
  );
}
