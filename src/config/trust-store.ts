// The trust records file, <data>/trust.json (0600): one record per config file, keyed by the absolute path
// the file was found at (not its real path: a link elsewhere is another project), holding its sha256.
// Every change is a read-modify-write under a lock shared by concurrent mcpsh processes, written atomically.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError, errorMessage } from '../errors.js';
import { updateFileLockedSync } from '../files/atomic.js';
import { appPaths } from '../paths.js';

export interface TrustRecord {
  sha256: string;
  trustedAt: string;
}

/**
 * Version 2 keys records by the path as found. Version 1 keyed them by the real path; its records are read
 * as they are, which keeps a file trusted where it is and leaves a link to it (another directory) untrusted.
 */
export interface TrustStore {
  version: 2;
  files: Record<string, TrustRecord>;
}

const VERSION = 2 as const;

export function trustStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(appPaths(env).data, 'trust.json');
}

/** The key of a config file: the absolute path it was found at, symlinks not followed. */
export function storeKey(file: string): string {
  return path.resolve(file);
}

function isRecord(v: unknown): v is TrustRecord {
  return (
    typeof v === 'object' && v !== null && typeof (v as TrustRecord).sha256 === 'string' && typeof (v as TrustRecord).trustedAt === 'string'
  );
}

function parseStore(text: string, file: string): TrustStore {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // A damaged store trusts nothing; saying so beats silently running configs.
    throw new AppError('CONFIG', `the trust records ${file} are not valid JSON`, {
      cause: err,
      hint: `delete ${file} and trust your project configs again with \`mcpsh trust\``,
    });
  }
  const doc = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { version?: unknown; files?: unknown };
  if (typeof doc.version === 'number' && doc.version > VERSION) {
    throw new AppError('CONFIG', `the trust records ${file} were written by a newer mcpsh (version ${doc.version})`, {
      hint: 'update mcpsh, or move the file away and trust your project configs again with `mcpsh trust`',
    });
  }
  const files: Record<string, TrustRecord> = {};
  if (typeof doc.files === 'object' && doc.files !== null) {
    for (const [key, record] of Object.entries(doc.files))
      if (isRecord(record)) files[key] = { sha256: record.sha256, trustedAt: record.trustedAt };
  }
  return { version: VERSION, files };
}

export function readTrustStore(env: NodeJS.ProcessEnv): TrustStore {
  const file = trustStorePath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: VERSION, files: {} };
    throw new AppError('CONFIG', `cannot read the trust records ${file}: ${errorMessage(err)}`, { cause: err });
  }
  return parseStore(text, file);
}

/**
 * Changes the records in place under the lock: `change` sees the store as it is now (whatever other
 * processes wrote a moment ago) and returns false to write nothing.
 */
export function updateTrustStore(env: NodeJS.ProcessEnv, change: (store: TrustStore) => boolean): void {
  const file = trustStorePath(env);
  updateFileLockedSync(
    file,
    (current) => {
      const store: TrustStore = current === undefined ? { version: VERSION, files: {} } : parseStore(current, file);
      return change(store) ? `${JSON.stringify({ version: VERSION, files: store.files }, null, 2)}\n` : undefined;
    },
    { mode: 0o600 },
  );
}
