// Registers `mcpsh serve sqlite <db-file>`: parses its flags and lazily loads the server, so no other command
// pays for better-sqlite3 or the MCP server code.
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../errors.js';
import { docPath } from '../docs-path.js';
import type { Io } from '../io.js';

interface ServeSqliteFlags {
  demo?: boolean;
  readonly?: boolean;
  allowWrite?: boolean;
  maxRows: number;
  busyTimeout: number;
}

const DEFAULT_MAX_ROWS = 500;
const DEFAULT_BUSY_TIMEOUT_MS = 1000;

function positiveInt(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${max}, got "${value}"`);
    }
    return n;
  };
}

export function addServeSqlite(serve: Command, io: Io): void {
  serve
    .command('sqlite')
    .description('serve an SQLite database as an MCP server over stdio (list_tables, describe_table, query, insert_record)')
    .argument('<db-file>', 'the SQLite database file (relative paths are from the current directory)')
    .option('--demo', "create the origin article's sample customers and orders (plus a few hundred more rows) when the file is new or has no tables")
    .option('--readonly', 'open the database read-only: insert_record refuses, nothing can change the file')
    .option('--allow-write', 'also expose execute: any single write statement (UPDATE, DELETE, CREATE, DROP …)')
    .option('--max-rows <n>', 'most rows one query returns (more sets "truncated")', positiveInt(1_000_000), DEFAULT_MAX_ROWS)
    .option('--busy-timeout <ms>', 'how long to wait on a database locked by another process before retrying', positiveInt(600_000), DEFAULT_BUSY_TIMEOUT_MS)
    .addHelpText(
      'after',
      `
Tools:
  list_tables      tables and views with their columns                  (read-only)
  describe_table   columns, types, keys, foreign keys, indexes, rows    (read-only)
  query            one read-only SQL statement, with params, row limit  (read-only)
  insert_record    insert one row: {"table": "...", "values": {...}}   (writes; refused with --readonly)
  execute          one write statement; only with --allow-write          (destructive)

Reads run on a connection SQLite itself opened read-only; a statement is accepted by query only when SQLite
reports it read-only and returning rows. The SQL text is never pattern-matched. See ${docPath('servers/sqlite.md')}.

A missing file is created only with --demo or --allow-write; otherwise it is an error (usually a typo).
The server speaks MCP on stdin/stdout until stdin closes (2025-era clients and 2026-07-28 ones alike);
its log lines go to stderr.

In mcp.config.json:
  "mcpServers": {
    "db": { "command": "mcpsh", "args": ["serve", "sqlite", "demo.db", "--demo"] }
  }

Try it:
  mcpsh call db query '{"sql":"SELECT city, count(*) AS customers FROM customers GROUP BY city"}'`,
    )
    .action(async (dbFile: string, flags: ServeSqliteFlags) => {
      if (flags.readonly && flags.allowWrite) {
        throw new AppError('USAGE', '--readonly and --allow-write cannot be used together', {
          hint: 'pick one: --readonly to forbid every write, --allow-write to expose the execute tool',
        });
      }
      const { serveSqlite } = await import('../servers/sqlite/serve.js');
      await serveSqlite(
        {
          dbFile,
          demo: flags.demo === true,
          readonly: flags.readonly === true,
          allowWrite: flags.allowWrite === true,
          maxRows: flags.maxRows,
          busyTimeoutMs: flags.busyTimeout,
        },
        io,
      );
    });
}
