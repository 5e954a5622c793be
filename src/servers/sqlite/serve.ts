// Runs the sqlite MCP server over stdio until stdin closes or the process is signalled. stdout carries only the
// protocol; the one startup line and any transport errors go to stderr. serveStdio lets the client's first
// message choose the era: a 2025-era `initialize` or a 2026-07-28 request, served by the same tools.
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Readable, Writable } from 'node:stream';
import type { Io } from '../../io.js';
import { registerCleanup } from '../../lifecycle.js';
import { errorMessage } from '../../errors.js';
import { openDatabase, type SqliteServerOptions } from './database.js';
import { buildSqliteServer } from './server.js';
import { loadSqliteDriver } from '../sqlite-driver.js';

export type { SqliteServerOptions } from './database.js';

export async function serveSqlite(opts: SqliteServerOptions, io: Io): Promise<void> {
  // Loaded first, so a missing native addon fails before any protocol traffic.
  const driver = await loadSqliteDriver('`mcpsh serve sqlite`');
  const db = openDatabase(opts, io.cwd, driver);
  const stdin = io.stdin as Readable;
  const ended = new Promise<void>((resolve) => {
    stdin.once('end', resolve);
    stdin.once('close', resolve);
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // One instance per connection (plus a throwaway one if the client probes with server/discover); all share db.
  const handle = serveStdio(() => buildSqliteServer(db, opts), {
    transport: new StdioServerTransport(stdin, io.stdout as Writable),
    onerror: (err) => io.stderr.write(`mcpsh serve sqlite: transport error: ${errorMessage(err)}\n`),
  });
  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closing ??= handle
      .close()
      .catch(() => undefined)
      .finally(() => db.close());
    return closing;
  };
  const unregister = registerCleanup(shutdown);

  const mode = opts.readonly ? 'read-only' : opts.allowWrite ? 'read-write, execute enabled' : 'read + insert';
  const demo = db.demo === 'seeded' ? '; demo data created' : db.demo === 'kept' ? '; has tables already, demo data not added' : '';
  io.stderr.write(`mcpsh serve sqlite: serving ${db.path} (${mode}, max ${opts.maxRows} rows${demo}) on stdio\n`);

  await ended;
  await shutdown();
  unregister();
}
