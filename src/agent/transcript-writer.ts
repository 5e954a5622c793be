// Appends text to a file without blocking the main thread, in order, and without losing what was added when the
// process exits: the bytes not yet confirmed written are written synchronously by an 'exit' handler.
//
// Every byte has a fixed place in the file (positional writes from the file's size when the writer was made), so
// that last write at exit may safely repeat what a background write already put there: same bytes, same place.
// The file stays open while messages come (one write per batch, no open/close each time) and is closed after a
// while without any, so a chat that was left behind (a new one started) does not keep a descriptor for long.
import { close, closeSync, constants, fstatSync, open, openSync, readSync, write, writeSync } from 'node:fs';

const FLAGS = constants.O_WRONLY | constants.O_CREAT;
const MODE = 0o600;
/** How long the file stays open after the last write. */
const IDLE_CLOSE_MS = 10_000;

/** Writers holding bytes not yet confirmed written; the 'exit' handler writes those. */
const unfinished = new Set<TranscriptWriter>();
let exitHookInstalled = false;

export class TranscriptWriter {
  /** Where `pending` goes in the file. */
  private offset: number;
  /** Bytes added and not yet confirmed written. */
  private pending: Buffer = Buffer.alloc(0);
  /** The background write loop, while it runs. */
  private draining: Promise<void> | undefined;
  private failure: Error | undefined;
  private fd: number | undefined;
  private idle: NodeJS.Timeout | undefined;

  /** Opens (creating it 0600 if needed) to write after what `file` holds; a last line cut short is ended first. */
  constructor(readonly file: string) {
    const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, MODE);
    try {
      this.offset = fstatSync(fd).size;
      if (this.offset > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, this.offset - 1);
        // A crash mid-line left a fragment: the next line starts on a line of its own (the fragment is skipped on load).
        if (last[0] !== 0x0a) this.pending = Buffer.from('\n');
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.fd = fd;
  }

  /** Queues `text` for the file. Throws the error of an earlier write that failed (nothing more is written then). */
  write(text: string): void {
    if (this.failure) throw this.failure;
    const bytes = Buffer.from(text, 'utf8');
    // A new buffer, never an edit of the old: a write in flight keeps the bytes it was given.
    this.pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    unfinished.add(this);
    installExitHook();
    this.draining ??= this.drain();
  }

  /** Resolves once everything queued so far is in the file; rejects when a write failed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    clearTimeout(this.idle);
    try {
      const fd = (this.fd ??= await new Promise<number>((resolve, reject) =>
        open(this.file, FLAGS, MODE, (err, opened) => (err ? reject(err) : resolve(opened))),
      ));
      while (this.pending.length > 0) {
        const chunk = this.pending;
        const written = await new Promise<number>((resolve, reject) =>
          write(fd, chunk, 0, chunk.length, this.offset, (err, n) => (err ? reject(err) : resolve(n))),
        );
        this.offset += written;
        this.pending = this.pending.subarray(written);
      }
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      this.pending = Buffer.alloc(0);
      this.closeFile();
    }
    // Decided with no await after the loop's last look at `pending`: a write() from here on starts a new loop.
    this.draining = undefined;
    unfinished.delete(this);
    if (this.fd !== undefined) this.idle = setTimeout(() => this.closeFile(), IDLE_CLOSE_MS).unref();
  }

  private closeFile(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) close(fd, () => undefined);
  }

  /** At exit: writes what is still pending, synchronously (repeating bytes a background write may have placed). */
  finishNow(): void {
    if (this.pending.length === 0 || this.failure) return;
    const own = this.fd === undefined;
    let fd = this.fd;
    try {
      fd ??= openSync(this.file, FLAGS, MODE);
      let done = 0;
      while (done < this.pending.length) done += writeSync(fd, this.pending, done, this.pending.length - done, this.offset + done);
    } catch {
      // Nothing more can be done while exiting.
    } finally {
      if (own && fd !== undefined) closeSync(fd);
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const writer of unfinished) writer.finishNow();
  });
}
