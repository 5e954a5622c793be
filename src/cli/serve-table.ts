// `mcpsh serve …`: the MCP servers that ship with mcpsh. Flags only: each server is imported when its command
// runs, so no other command pays for better-sqlite3, jose or the MCP server code.
import { InvalidArgumentError, Option } from 'commander';
import { docPath } from '../docs-path.js';
import { arg, lazy, opt, type CommandSpec } from './spec.js';

const CRM_DEFAULT_PORT = 3333;
const CRM_DEFAULT_RATE = 120;
const SQLITE_DEFAULT_MAX_ROWS = 500;
const SQLITE_DEFAULT_BUSY_TIMEOUT_MS = 1000;

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535)
    throw new InvalidArgumentError(`expected a port from 0 to 65535 (0 picks a free one), got "${value}"`);
  return n;
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1_000_000)
    throw new InvalidArgumentError(`expected a whole number of requests per minute (1 or more), got "${value}"`);
  return n;
}

function positiveInt(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${max}, got "${value}"`);
    }
    return n;
  };
}

export function serveTable(): CommandSpec {
  return {
    name: 'serve',
    description: 'run one of the MCP servers that ship with mcpsh (sqlite, crm)',
    subcommands: [serveSqlite(), serveCrm()],
  };
}

function serveSqlite(): CommandSpec {
  return {
    name: 'sqlite',
    description: 'serve an SQLite database as an MCP server over stdio (list_tables, describe_table, query, insert_record)',
    args: [arg('<db-file>', 'the SQLite database file (relative paths are from the current directory)')],
    options: [
      opt(
        '--demo',
        "create the origin article's sample customers and orders (plus a few hundred more rows) when the file is new or has no tables",
      ),
      opt('--readonly', 'open the database read-only: insert_record refuses, nothing can change the file'),
      opt('--allow-write', 'also expose execute: any single write statement (UPDATE, DELETE, CREATE, DROP …)'),
      opt('--max-rows <n>', 'most rows one query returns (more sets "truncated")', positiveInt(1_000_000)).default(SQLITE_DEFAULT_MAX_ROWS),
      opt('--busy-timeout <ms>', 'how long to wait on a database locked by another process before retrying', positiveInt(600_000)).default(
        SQLITE_DEFAULT_BUSY_TIMEOUT_MS,
      ),
    ],
    help: `
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
    action: lazy({
      load: () => import('../commands/serve-sqlite.js'),
      run: (m, [dbFile]: [string], flags: import('../commands/serve-sqlite.js').ServeSqliteFlags, { io }) =>
        m.runServeSqlite(dbFile, flags, io),
    }),
  };
}

function serveCrm(): CommandSpec {
  return {
    name: 'crm',
    description: 'run the CRM MCP server (contacts, companies, opportunities, notes) over Streamable HTTP with bearer-token auth',
    options: [
      opt('-p, --port <n>', 'port to listen on; 0 picks a free one', parsePort).default(CRM_DEFAULT_PORT),
      new Option('--host <addr>', 'address to listen on; only loopback unless --allow-remote').default('127.0.0.1'),
      opt('--allow-remote', 'allow listening on a non-loopback address'),
      opt('--db <file>', 'SQLite file for the CRM data (default: crm.db in the mcpsh data dir)'),
      opt('--demo', 'fill an empty CRM with sample contacts, companies, deals and notes'),
      opt('--audit-log <file>', 'append-only JSONL audit log of tool calls (default: crm-audit.jsonl in the mcpsh state dir)'),
      opt('--rate <n>', 'requests per minute allowed per client (token subject)', parseRate).default(CRM_DEFAULT_RATE),
    ],
    help: `
Every request needs "Authorization: Bearer <token>"; mint one with \`mcpsh serve crm token\`.
Serves 2025-era clients (initialize, then a session) and 2026-07-28 ones (stateless) on the same URL.
Tokens are signed with MCPSH_CRM_SECRET if set, else with a key file kept in the mcpsh data dir.
The server prints "crm: listening on <url>" on stderr once it is ready. See ${docPath('servers/crm.md')}.

Examples:
  mcpsh serve crm --demo
  export CRM_TOKEN=$(mcpsh serve crm token --scopes 'tool:* resources:read')`,
    action: lazy({
      load: () => import('../servers/crm/run.js'),
      run: (
        m,
        _args: [],
        opts: { port: number; host: string; db?: string; demo?: boolean; auditLog?: string; rate: number; allowRemote?: boolean },
        { io },
      ) => m.runServeCrm(opts, io),
    }),
    subcommands: [
      {
        name: 'token',
        description: 'print a signed bearer token (JWT) for the CRM server on stdout',
        options: [
          opt('--scopes <list>', 'space- or comma-separated: tool:*, tool:<name>, resources:read').makeOptionMandatory(),
          opt('--subject <name>', 'who the token is for; rate limits and the audit log use it (default: your user name)'),
          new Option('--expires <duration>', 'lifetime, e.g. 15m, 1h, 7d').default('24h'),
        ],
        help: `
Scopes: tool:search_contacts tool:get_contact_details tool:create_opportunity
        tool:update_contact_notes tool:* resources:read

Example:
  mcpsh serve crm token --scopes tool:search_contacts,tool:get_contact_details --subject reader --expires 1h`,
        action: lazy({
          load: () => import('../servers/crm/run.js'),
          run: (m, _args: [], opts: { scopes: string; subject?: string; expires: string }, { io }) => m.runCrmToken(opts, io),
        }),
      },
    ],
  };
}
