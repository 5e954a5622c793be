// Crash- and race-safe rewrites of the user's files: write a temp file beside the target, fsync, rename over it,
// and (for read-modify-write) hold a lock file that every mcpsh process honours. A failed write never touches the old file.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { acquireLock, type LockOptions } from './lock.js';
import { notChanged } from './write-error.js';

export interface AtomicWriteOptions {
  /** The file's mode after the write. Without it an existing file keeps its mode and a new one is 0600. */
  mode?: number;
  /** false skips both fsyncs: for caches, where losing the newest copy in a power cut costs only speed. */
  durable?: boolean;
}

export type UpdateOptions = AtomicWriteOptions & LockOptions;

/** Replaces `file` with `data` in one step: readers see the old or the new content, never a mix or a truncation. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  // A symlinked config (dotfile managers) is written through, not replaced by a regular file.
  const target = resolveTarget(file);
  const dir = dirname(target);
  const existing = statOrUndefined(target);
  const mode = opts.mode ?? (existing ? existing.mode & 0o7777 : 0o600);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    if (opts.durable !== false) fsyncSync(fd);
    // fchmod after the write: the umask must not widen or narrow what was asked for.
    fchmodSync(fd, mode);
    keepOwner(fd, existing);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) closeQuietly(fd);
    unlinkQuietly(tmp);
    throw notChanged(file, err);
  }
  if (opts.durable !== false) fsyncDir(dir);
}

/**
 * Read-modify-write of `file` under a lock shared by every mcpsh process: `update` gets the current text
 * (undefined when there is no file) read inside the lock, and returns the new text, or undefined to write nothing.
 * Returns what was written (or undefined).
 */
export function updateFileLockedSync(
  file: string,
  update: (current: string | undefined) => string | undefined,
  opts: UpdateOptions = {},
): string | undefined {
  const target = resolveTarget(file);
  return withFileLockSync(
    target,
    () => {
      const next = update(readOrUndefined(target));
      if (next !== undefined) writeFileAtomicSync(target, next, opts);
      return next;
    },
    opts,
  );
}

/** Runs `fn` while holding the cross-process lock of `file` (for appends that must not race a rewrite). */
export function withFileLockSync<T>(file: string, fn: () => T, opts: LockOptions = {}): T {
  const target = resolveTarget(file);
  try {
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw notChanged(file, err);
  }
  const release = acquireLock(target, opts);
  try {
    return fn();
  } finally {
    release();
  }
}

function resolveTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Root editing a user's file (sudo) must not leave it owned by root. */
function keepOwner(fd: number, existing: Stats | undefined): void {
  if (!existing || process.getuid?.() !== 0) return;
  if (existing.uid === 0 && existing.gid === 0) return;
  fchownSync(fd, existing.uid, existing.gid);
}

/** Makes the rename itself durable; some platforms cannot fsync a directory, which only weakens durability. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL/EPERM on some systems: the rename already happened.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed or the descriptor is bad; nothing more to do.
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Never created, or already gone.
  }
}
