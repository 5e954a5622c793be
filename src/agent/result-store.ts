// Big tool results kept whole on disk, one private directory per session under the state dir, so the model
// gets a head and tail plus a handle and reads the rest in pages (result-tool.ts). Removed with the session.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { ensurePrivateDir } from '../files/private-dir.js';

export interface SavedResult {
  /** What the model passes to mcpsh_read_result, e.g. "r1". */
  handle: string;
  file: string;
  /** Size of the kept (redacted) text in UTF-8 bytes. */
  bytes: number;
  /** The tool that produced it (its model-facing name). */
  tool: string;
}

export interface ResultPage {
  text: string;
  /** Byte offsets of the page within the result: [start, end). */
  start: number;
  end: number;
  total: number;
}

/** A page never holds more than this many bytes, however many are asked for. */
export const MAX_PAGE_BYTES = 32_000;

// A directory is `<host tag>-<pid>-<random>`: leftovers of a crashed mcpsh on this host (its pid gone) are
// swept when the next store saves its first result; directories of other hosts sharing the state dir are not.
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
const HANDLE = /^r[1-9][0-9]{0,8}$/;

export class ResultStore {
  private dir: string | undefined;
  private readonly saved = new Map<string, SavedResult>();
  private closed = false;

  /**
   * `root` is `<state>/results`; `redact` masks secrets before anything reaches the disk. The directory is
   * made with the first result, so a session without big results leaves nothing behind.
   */
  constructor(
    private readonly root: string,
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  get size(): number {
    return this.saved.size;
  }

  /** Where this session's results go (undefined until the first is saved). */
  get directory(): string | undefined {
    return this.dir;
  }

  /** Keeps `text` (redacted) and returns its handle; the caller gives the model what was written, from `kept`. */
  save(text: string, tool: string): SavedResult & { kept: string } {
    if (this.closed) throw new AppError('INTERNAL', 'the result store of this session is closed');
    const dir = this.ensureDir();
    const handle = `r${this.saved.size + 1}`;
    const file = join(dir, `${handle}.txt`);
    const kept = this.redact(text);
    // wx: never through a file (or link) someone placed there; 0600 inside a 0700 directory.
    writeFileSync(file, kept, { mode: 0o600, flag: 'wx' });
    const result: SavedResult = { handle, file, bytes: Buffer.byteLength(kept), tool };
    this.saved.set(handle, result);
    return { ...result, kept };
  }

  /** What `handle` names, or undefined for a handle this session never gave out. */
  get(handle: string): SavedResult | undefined {
    return HANDLE.test(handle) ? this.saved.get(handle) : undefined;
  }

  /** Up to `length` bytes from byte `offset`, moved to whole UTF-8 characters (a page never splits one). */
  read(handle: string, offset: number, length: number): ResultPage {
    const result = this.get(handle);
    if (!result) throw new AppError('USAGE', `there is no kept result "${handle}" in this session`);
    const total = result.bytes;
    const from = Math.max(0, Math.min(Math.floor(offset), total));
    const want = Math.max(1, Math.min(Math.floor(length), MAX_PAGE_BYTES));
    // 3 bytes either side are enough to find character boundaries.
    const buffer = Buffer.alloc(Math.min(want + 3, total - from));
    const fd = openSync(result.file, 'r');
    try {
      let got = 0;
      while (got < buffer.length) {
        const n = readSync(fd, buffer, got, buffer.length - got, from + got);
        if (n === 0) break;
        got += n;
      }
    } finally {
      closeSync(fd);
    }
    let start = 0;
    while (start < buffer.length && start < 3 && isContinuation(buffer[start])) start++;
    let end = Math.min(start + want, buffer.length);
    if (from + end < total) while (end > start && isContinuation(buffer[end])) end--;
    // A length shorter than the character there still gives that one character: a page is never empty.
    if (end === start && start < buffer.length) for (end = start + 1; end < buffer.length && isContinuation(buffer[end]);) end++;
    return { text: buffer.subarray(start, end).toString('utf8'), start: from + start, end: from + end, total };
  }

  /** Removes this session's results (the session ended, or the chat exits). Safe to call twice. */
  close(): void {
    this.closed = true;
    this.saved.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private ensureDir(): string {
    if (this.dir) return this.dir;
    ensurePrivateDir(this.root);
    sweepStale(this.root);
    const dir = join(this.root, `${HOST_TAG}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
    ensurePrivateDir(dir);
    this.dir = dir;
    return dir;
  }
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** Directories left by mcpsh processes of this host that are gone (a crash, a kill -9). */
function sweepStale(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^([0-9a-f]{8})-(\d+)-[a-z0-9]+$/.exec(name);
    if (!match || match[1] !== HOST_TAG || alive(Number(match[2]))) continue;
    try {
      if (statSync(join(root, name)).isDirectory()) rmSync(join(root, name), { recursive: true, force: true });
    } catch {
      // another process swept it first
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
