// Opens the database for `mcpsh serve sqlite`: a read-only connection for every read, and (unless --readonly)
// a separate write connection used only by insert_record and execute. Startup problems become AppErrors.
import type Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError, errorMessage } from '../../errors.js';
import type { SqliteDriver } from '../sqlite-driver.js';
import { seedDemoData } from './demo-data.js';

export type Connection = Database.Database;

export interface SqliteServerOptions {
  /** The database file as given on the command line. */
  dbFile: string;
  demo: boolean;
  readonly: boolean;
  allowWrite: boolean;
  maxRows: number;
  /** How long SQLite itself waits on a locked database before reporting SQLITE_BUSY. */
  busyTimeoutMs: number;
}

export interface OpenDatabase {
  path: string;
  /** Opened with SQLITE_OPEN_READONLY and `PRAGMA query_only`: the engine refuses every write on it. Runs only the server's own SQL. */
  reader: Connection;
  /** Absent with --readonly. Runs only the server's own SQL (insert_record's generated INSERT). */
  writer: Connection | undefined;
  /**
   * A fresh read-only connection for one caller-supplied statement. SQLite applies some PRAGMAs while merely
   * preparing them (query_only, locking_mode, busy_timeout …), so a statement we go on to refuse could still
   * change its connection: a connection used once and closed keeps such changes from outliving the call.
   */
  openQueryConnection(): Connection;
  /** The same for execute (--allow-write): a fresh read-write connection per call. */
  openExecuteConnection(): Connection;
  /** What --demo did, for the startup log line. */
  demo: 'seeded' | 'kept' | 'off';
  close(): void;
}

/** Opens (and with --demo, seeds) the database with `driver` (see loadSqliteDriver); throws an AppError a person can act on. */
export function openDatabase(opts: SqliteServerOptions, cwd: string, driver: SqliteDriver): OpenDatabase {
  const path = resolve(cwd, opts.dbFile);
  const open = (p: string, o: { readonly: boolean; busyTimeoutMs: number }): Connection =>
    new driver(p, { readonly: o.readonly, fileMustExist: o.readonly, timeout: o.busyTimeoutMs });
  const exists = checkPath(path, opts);
  let writer: Connection | undefined;
  let demo: OpenDatabase['demo'] = 'off';
  try {
    if (opts.demo) {
      // With --readonly the seeding connection lives only long enough to create the sample data.
      const seeder = open(path, { readonly: false, busyTimeoutMs: opts.busyTimeoutMs });
      demo = seedDemoData(seeder) ? 'seeded' : 'kept';
      if (opts.readonly) seeder.close();
      else writer = seeder;
    } else if (!opts.readonly) {
      writer = open(path, { readonly: false, busyTimeoutMs: opts.busyTimeoutMs });
    }
    const openReader = (): Connection => {
      const c = open(path, { readonly: true, busyTimeoutMs: opts.busyTimeoutMs });
      c.pragma('query_only = ON');
      return c;
    };
    const reader = openReader();
    // SQLite only notices a file that is not a database on first read; fail at startup, not on the first call.
    reader.prepare('SELECT count(*) FROM sqlite_schema').get();
    const w = writer;
    return {
      path,
      reader,
      writer: w,
      openQueryConnection: openReader,
      openExecuteConnection: () => open(path, { readonly: false, busyTimeoutMs: opts.busyTimeoutMs }),
      demo,
      close: () => {
        reader.close();
        w?.close();
      },
    };
  } catch (err) {
    writer?.close();
    if (err instanceof AppError) throw err;
    throw new AppError('USAGE', `cannot open the SQLite database ${path}: ${errorMessage(err)}`, {
      cause: err,
      hint: exists
        ? 'check that the file is an SQLite database and that you may read it (and write it, unless --readonly)'
        : 'check the path and the permissions of its directory',
    });
  }
}

/** Returns whether the file exists; throws when the path cannot work. */
function checkPath(path: string, opts: SqliteServerOptions): boolean {
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new AppError('USAGE', `cannot open the SQLite database ${path}: the directory ${dir} does not exist`, {
      hint: 'create the directory first, or check the path',
    });
  }
  if (!existsSync(path)) {
    // A missing file is usually a typo; only create one when the server can put something in it.
    if (opts.demo || opts.allowWrite) return false;
    throw new AppError('USAGE', `the SQLite database ${path} does not exist`, {
      hint: 'check the path; pass --demo to create it with sample data, or --allow-write to create an empty database',
    });
  }
  if (statSync(path).isDirectory()) {
    throw new AppError('USAGE', `${path} is a directory, not an SQLite database file`, {
      hint: 'give the path of the database file itself',
    });
  }
  return true;
}

const RETRY_DELAYS_MS = [50, 150, 400];

/** True for SQLite's "another connection holds the lock" errors, which are worth retrying. */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * Runs fn, retrying briefly when the database is busy. SQLite's own busy timeout already waited once; these
 * retries yield to the event loop in between, so the server keeps answering pings while another process holds the lock.
 */
export async function withBusyRetry<T>(fn: () => T): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return fn();
    } catch (err) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (!isBusyError(err) || delay === undefined) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
