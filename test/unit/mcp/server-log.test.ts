// A server's log notifications land, redacted and one per line, in its log file, even when its folder goes.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendServerLog } from '../../../src/mcp/server-log.js';

describe('appendServerLog', () => {
  it('appends each message as a line, and makes the folder again when it was removed meanwhile', () => {
    const home = mkdtempSync(join(tmpdir(), 'mcpsh-server-log-'));
    try {
      const file = join(home, 'logs', 'basic.log');
      appendServerLog(file, { level: 'info', logger: 'db', data: 'first' });
      appendServerLog(file, { level: 'warning', data: { n: 2 } });
      expect(
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line) => line.replace(/^\S+ /, '')),
      ).toEqual(['[info] db: first', '[warning] {"n":2}', '']);
      rmSync(join(home, 'logs'), { recursive: true });
      appendServerLog(file, { level: 'error', data: 'after the folder went' });
      expect(readFileSync(file, 'utf8')).toMatch(/^\S+ \[error\] after the folder went\n$/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
