// A lock shared by concurrent mcpsh processes: `<file>.lock` created with O_EXCL, holding the owner's pid, host and
// a random token. A lock whose owner died (pid gone on this host) or that is older than `staleMs` is taken over.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { AppError } from '../errors.js';
import { notChanged } from './write-error.js';

export interface LockOptions {
  /** How long to wait for another process's lock before giving up (ms). */
  lockTimeoutMs?: number;
  /** A lock older than this is taken over even when its owner looks alive (pid reuse, another host). */
  staleMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Critical sections are one read and one small write: a lock held this long is abandoned. */
const DEFAULT_STALE_MS = 30_000;
/** The breaker only guards an unlink: anything older than this is left from a crash. */
const BREAKER_STALE_MS = 5_000;

interface Holder {
  text: string;
  ino: number;
  mtimeMs: number;
}

/** Takes the lock for `file` (waiting, bounded), and returns the function that releases it. */
export function acquireLock(file: string, opts: LockOptions = {}): () => void {
  const lockFile = `${file}.lock`;
  const token = randomBytes(8).toString('hex');
  const content = JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now(), token });
  const deadline = Date.now() + (opts.lockTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  let delay = 2;
  for (;;) {
    if (tryCreate(file, lockFile, content)) return () => releaseLock(lockFile, content);
    const holder = readHolder(lockFile);
    if (holder === undefined) continue; // Released between our open and our read: try again at once.
    if (isStale(holder, staleMs)) {
      breakStale(lockFile, holder);
      continue;
    }
    if (Date.now() >= deadline) throw lockTimeout(file, lockFile, holder);
    sleepSync(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

function tryCreate(file: string, lockFile: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw notChanged(file, err);
  }
  try {
    writeSync(fd, content);
  } catch (err) {
    closeSync(fd);
    unlinkQuietly(lockFile);
    throw notChanged(file, err);
  }
  closeSync(fd);
  return true;
}

function releaseLock(lockFile: string, content: string): void {
  // Only our own lock: if we were judged stale and taken over, the new owner's lock stays.
  if (readText(lockFile) === content) unlinkQuietly(lockFile);
}

function readHolder(lockFile: string): Holder | undefined {
  try {
    const st = statSync(lockFile);
    return { text: readFileSync(lockFile, 'utf8'), ino: st.ino, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

function isStale(holder: Holder, staleMs: number): boolean {
  if (Date.now() - holder.mtimeMs > staleMs) return true;
  const info = parseInfo(holder.text);
  // An empty lock is one being written right now (open and write are two steps): only age makes it stale.
  if (!info || info.host !== hostname()) return false;
  return !pidAlive(info.pid);
}

/**
 * Removes a stale lock without removing a fresh one that replaced it meanwhile: a second O_EXCL file serialises
 * the breakers, and the lock is removed only if it is still exactly the one judged stale.
 */
function breakStale(lockFile: string, seen: Holder): void {
  const breaker = `${lockFile}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, 'wx', 0o600);
  } catch {
    const old = readHolder(breaker);
    if (old && Date.now() - old.mtimeMs > BREAKER_STALE_MS) unlinkQuietly(breaker);
    else sleepSync(2);
    return;
  }
  closeSync(fd);
  try {
    const now = readHolder(lockFile);
    if (now && now.text === seen.text && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs) unlinkQuietly(lockFile);
  } finally {
    unlinkQuietly(breaker);
  }
}

function lockTimeout(file: string, lockFile: string, holder: Holder): AppError {
  const pid = parseInfo(holder.text)?.pid;
  return new AppError('TIMEOUT', `${file} was not changed: another mcpsh process${pid ? ` (pid ${pid})` : ''} holds its lock`, {
    hint: `Try again; if no mcpsh process is running, delete ${lockFile}.`,
  });
}

function parseInfo(text: string): { pid: number; host: string } | undefined {
  try {
    const v = JSON.parse(text) as { pid?: unknown; host?: unknown };
    return typeof v.pid === 'number' && typeof v.host === 'string' ? { pid: v.pid, host: v.host } : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** A synchronous pause: the callers are synchronous, and the wait is a few milliseconds. */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
