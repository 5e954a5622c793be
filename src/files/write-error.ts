// The one message for a write mcpsh could not make: which file, that it is unchanged, and why in plain words.
import { AppError } from '../errors.js';

/** Why a write failed, in words a person can act on. */
const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EIO: 'an I/O error occurred',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the file name is too long',
};

/** The error for a write that did not happen: names the file, says it is unchanged, and why. */
export function notChanged(file: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : REASONS[code];
  const reason = known === undefined ? (err instanceof Error ? err.message : String(err)) : `${known} (${code})`;
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  return new AppError('INTERNAL', `${file} was not changed: ${reason}`, {
    hint: full ? 'Free some disk space and try again; the old file is intact.' : 'The old file is intact.',
    cause: err,
  });
}
