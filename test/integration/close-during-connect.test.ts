// Closing a hub while a server is still starting (a person pressing Ctrl+D during the era probe) ends the
// connect at once and starts nothing more: no respawn of a server that "exited on the probe" because we
// killed it, and no process left behind.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Hub } from '../../src/mcp/hub.js';
import { nodeServer } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';
import { isAlive, waitFor } from '../helpers/processes.js';

// A delay no other test uses, so the processes of this test can be told apart in /proc.
const MARKER = '61237';

function fixtureProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a.endsWith('slow-start.mjs')) && cmd.includes(MARKER)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

describe('closing while a server is still connecting', () => {
  it('ends the connect, starts no second process, and leaves none running', async () => {
    const server = nodeServer('slow', fixturePath('slow-start.mjs'), [MARKER], { connectTimeoutMs: 120_000 });
    const hub = new Hub([server], { env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-close-')), clientVersion: '0' });
    const connecting = hub.connectAll();
    await waitFor(() => hub.get('slow')?.pid !== undefined, { what: 'the server process' });
    const first = hub.get('slow')?.pid ?? -1;

    await hub.close();
    await connecting;

    expect(hub.get('slow')?.state).toBe('closed');
    await waitFor(() => !isAlive(first), { what: 'the server to end' });
    await waitFor(() => fixtureProcesses().length === 0, { what: 'no fixture process left (a respawn would be one)' });
    expect(fixtureProcesses()).toEqual([]);
  });
});
