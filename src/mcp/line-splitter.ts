// Splits a byte stream into newline-terminated lines without re-copying the buffer per chunk,
// and with a bound: a line longer than the limit is dropped (reported once), not buffered forever.

export type SplitItem = { kind: 'line'; line: string } | { kind: 'overflow'; limit: number };

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer): SplitItem[] {
    const out: SplitItem[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.skipping) {
        this.skipping = false;
        this.reset();
        continue;
      }
      if (this.pendingBytes + piece.length > this.maxLineBytes) {
        this.reset();
        out.push({ kind: 'overflow', limit: this.maxLineBytes });
        continue;
      }
      const line = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.reset();
      out.push({ kind: 'line', line: line.toString('utf8').replace(/\r$/, '') });
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0 && !this.skipping) {
      if (this.pendingBytes + rest.length > this.maxLineBytes) {
        this.reset();
        this.skipping = true;
        out.push({ kind: 'overflow', limit: this.maxLineBytes });
      } else {
        this.pending.push(rest);
        this.pendingBytes += rest.length;
      }
    }
    return out;
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}
