// `mcpsh serve sqlite <db-file>` (flags in src/cli/serve-table.ts): checks the flags, then loads the server, so
// a usage error costs no better-sqlite3 load.
import { AppError } from '../errors.js';
import type { Io } from '../io.js';

export interface ServeSqliteFlags {
  demo?: boolean;
  readonly?: boolean;
  allowWrite?: boolean;
  maxRows: number;
  busyTimeout: number;
}

/** Serves until stdin closes; 0 then. */
export async function runServeSqlite(dbFile: string, flags: ServeSqliteFlags, io: Io): Promise<number> {
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
  return 0;
}
