// The transcript writer: background writes in order, a synchronous finish (what the 'exit' handler runs) that may
// repeat a background write without doubling anything, a fragment left by a crash ended before the next line, and
// a failed write that stops saving and says so.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TranscriptWriter } from '../../../src/agent/transcript-writer.js';

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'mcpsh-tw-')), 't.jsonl');
}

const lines = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `{"n":${from + i}}\n`);

describe('TranscriptWriter', () => {
  it('writes every line in the order given, 0600', async () => {
    const file = tempFile();
    const writer = new TranscriptWriter(file);
    for (const line of lines(500)) writer.write(line);
    await writer.flush();
    expect(readFileSync(file, 'utf8')).toBe(lines(500).join(''));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const line of lines(3, 500)) writer.write(line);
    await writer.flush();
    expect(readFileSync(file, 'utf8')).toBe(lines(503).join(''));
  });

  it('finishes synchronously what is still queued, even while a background write is under way, with no line twice', async () => {
    const file = tempFile();
    const writer = new TranscriptWriter(file);
    for (const line of lines(200)) writer.write(line);
    writer.finishNow();
    expect(readFileSync(file, 'utf8')).toBe(lines(200).join(''));
    await writer.flush();
    expect(readFileSync(file, 'utf8')).toBe(lines(200).join(''));
  });

  it('continues an existing file after its end, and ends a line cut short by a crash first', async () => {
    const file = tempFile();
    writeFileSync(file, '{"n":0}\n{"n":1,"cut sh');
    const writer = new TranscriptWriter(file);
    writer.write('{"n":2}\n');
    await writer.flush();
    expect(readFileSync(file, 'utf8')).toBe('{"n":0}\n{"n":1,"cut sh\n{"n":2}\n');
  });

  it.runIf(existsSync('/dev/full'))('a write that fails stops the writer: flush rejects and the next write throws', async () => {
    // /dev/full: every write fails with ENOSPC, as on a full disk.
    const writer = new TranscriptWriter('/dev/full');
    writer.write('{"n":0}\n');
    await expect(writer.flush()).rejects.toThrow(/ENOSPC/);
    expect(() => writer.write('{"n":1}\n')).toThrow(/ENOSPC/);
  });
});
