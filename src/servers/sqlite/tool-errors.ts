// Tool failures go back to the caller as results with isError (never as protocol errors or crashes), worded so a
// model can fix its next call: SQLite's own message, the offending token and where it is, and what to call instead.
import type { CallToolResult } from '@modelcontextprotocol/server';
import { errorMessage } from '../../errors.js';
import { isBusyError } from './database.js';

export function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** 1-based line and column of the only occurrence of token in sql; undefined when absent or ambiguous. */
function locate(sql: string, token: string): string | undefined {
  const at = sql.indexOf(token);
  if (at < 0 || token === '' || sql.indexOf(token, at + 1) >= 0) return undefined;
  const before = sql.slice(0, at).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
}

/** A message for anything better-sqlite3 threw while preparing, binding or running sql. */
export function describeSqlError(err: unknown, sql?: string): string {
  const message = errorMessage(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (/more than one statement/.test(message)) {
    return 'Only one SQL statement per call: the text contains more than one, and SQLite refuses to prepare it. Send each statement in its own call.';
  }
  if (/contains no statements/.test(message)) return 'The SQL text is empty (or only comments): send one SQL statement.';
  if (isBusyError(err)) {
    return `The database is busy: another connection holds a lock (${String(code)}: ${message}), even after retrying. Try again shortly.`;
  }
  if (typeof code !== 'string') {
    // better-sqlite3 throws RangeError/TypeError for binding problems before SQLite sees the statement.
    return `Parameter error: ${message}. Pass positional values as an array for ? placeholders, or an object keyed by name for :name, @name or $name placeholders.`;
  }
  const near = /^near "((?:[^"]|"")*)": syntax error/.exec(message);
  if (near) {
    const token = (near[1] ?? '').replace(/""/g, '"');
    const where = sql === undefined ? undefined : locate(sql, token);
    return `SQL syntax error near "${token}"${where ? ` (${where})` : ''}: ${message}`;
  }
  if (message.startsWith('no such table')) return `${message}. Call list_tables to see the tables that exist.`;
  if (message.startsWith('no such column')) return `${message}. Call describe_table to see the table's columns.`;
  if (code.startsWith('SQLITE_CONSTRAINT')) return `Constraint violation (${code}): ${message}. Nothing was written.`;
  if (code.startsWith('SQLITE_READONLY')) return `The database refused to write (${code}): ${message}.`;
  if (message === 'not authorized') {
    return 'SQLite refused: not authorized. This function or statement is disabled on this server (for example load_extension).';
  }
  return `SQLite error (${code}): ${message}`;
}
