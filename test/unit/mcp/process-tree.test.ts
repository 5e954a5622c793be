// Closing stdio servers: several closed at once (Hub.closeAll) share one scan of the process table, and a
// descendant that left its server's process group is still killed. Real processes; /proc reads are counted
// through an injected reader that reads the real /proc.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { descendantPids, useProcessTableReader } from '../../../src/mcp/process-tree.js';
import { ProcessStdioTransport } from '../../../src/mcp/stdio-transport.js';
import { isAlive, waitFor } from '../../helpers/processes.js';

// A server stand-in: starts a child in a session of its own (out of reach of a group kill), writes the
// child's pid to argv[2], and exits when its stdin closes, leaving the child behind.
const LEAVER = `
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
child.unref();
writeFileSync(process.argv[2], String(child.pid));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function countingReader(): { scans: () => number } {
  let scans = 0;
  cleanups.push(
    useProcessTableReader({
      entries: () => {
        scans += 1;
        return readdirSync('/proc');
      },
      stat: (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8'),
    }),
  );
  return { scans: () => scans };
}

async function startLeaver(dir: string, name: string): Promise<{ transport: ProcessStdioTransport; leftBehind: number }> {
  const script = join(dir, 'leaver.cjs');
  writeFileSync(script, LEAVER);
  const pidFile = join(dir, `${name}.pid`);
  const transport = new ProcessStdioTransport({
    command: process.execPath,
    args: [script, pidFile],
    env: { ...process.env } as Record<string, string>,
    cwd: dir,
    gracePeriodMs: 3000,
  });
  await transport.start();
  await waitFor(() => readFileSafe(pidFile) !== '', { what: `${name} to start its child` });
  const leftBehind = Number(readFileSafe(pidFile));
  cleanups.push(() => {
    try {
      process.kill(leftBehind, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  });
  return { transport, leftBehind };
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

describe.runIf(process.platform === 'linux')('closing stdio servers', () => {
  it('closing several servers at once reads the process table once, and still ends children that left the group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-ptree-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const servers = await Promise.all(['a', 'b', 'c'].map((name) => startLeaver(dir, name)));
    for (const { transport, leftBehind } of servers) {
      expect(isAlive(leftBehind)).toBe(true);
      expect(descendantPids(transport.pid as number)).toContain(leftBehind);
    }
    await new Promise((resolve) => setImmediate(resolve));

    const reads = countingReader();
    await Promise.all(servers.map(({ transport }) => transport.close()));
    expect(reads.scans()).toBe(1);
    for (const { leftBehind } of servers)
      await waitFor(() => !isAlive(leftBehind), { what: `the child ${leftBehind} that left its group to end` });
  });

  it('a close in a later turn of the event loop scans afresh', async () => {
    const reads = countingReader();
    descendantPids(process.pid);
    descendantPids(process.pid);
    expect(reads.scans()).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    descendantPids(process.pid);
    expect(reads.scans()).toBe(2);
  });
});
