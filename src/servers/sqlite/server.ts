// Builds the sqlite MCP server: its identity, the instructions a model reads first, and the tools for the mode
// it was started in (read-only, default, or --allow-write).
import { McpServer } from '@modelcontextprotocol/server';
import type { OpenDatabase, SqliteServerOptions } from './database.js';
import { registerReadTools } from './tools-read.js';
import { registerWriteTools } from './tools-write.js';
import { VERSION } from '../../version.js';

export function serverInstructions(opts: Pick<SqliteServerOptions, 'readonly' | 'allowWrite' | 'maxRows'>): string {
  const lines = [
    'An SQLite database. Start with list_tables, then describe_table for the tables you need (columns, keys, indexes, row count).',
    `query runs one read-only SQL statement and returns at most ${opts.maxRows} rows (check "truncated"); prefer aggregates and LIMIT over fetching everything, and pass values through params rather than into the SQL text.`,
  ];
  if (opts.readonly) lines.push('The database is open read-only: insert_record will refuse to write.');
  else lines.push('insert_record adds one row to a table and returns its rowid.');
  if (opts.allowWrite)
    lines.push('execute runs one write statement (UPDATE, DELETE, DDL …); it changes data permanently, so be sure before using it.');
  return lines.join('\n');
}

export function buildSqliteServer(db: OpenDatabase, opts: SqliteServerOptions): McpServer {
  const server = new McpServer(
    { name: 'mcpsh-sqlite', title: 'mcpsh SQLite server', version: VERSION },
    { instructions: serverInstructions(opts), capabilities: { tools: {} } },
  );
  registerReadTools(server, db, opts);
  registerWriteTools(server, db, opts);
  return server;
}
