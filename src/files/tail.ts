// The end of a log file (a server's stderr log for `mcpsh logs <server>` and the chat's /logs).
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** The last `n` lines of a file, reading backwards in blocks so a huge log costs only its end. */
export function tail(file: string, n: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const block = 64 * 1024;
    let pos = size;
    let chunks: Buffer[] = [];
    let newlines = 0;
    while (pos > 0 && newlines <= n) {
      const len = Math.min(block, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, pos);
      chunks = [buf, ...chunks];
      for (const byte of buf) if (byte === 0x0a) newlines++;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const all = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    const kept = all.slice(-n);
    return kept.length === 0 || (kept.length === 1 && kept[0] === '') ? '' : `${kept.join('\n')}\n`;
  } finally {
    closeSync(fd);
  }
}
