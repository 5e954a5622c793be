// Shared by the fixture smoke tests: connect the SDK's own Client to a stdio fixture, keep its stderr,
// and make sure every process and connection a test opened is gone afterwards.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { isAlive } from '../../helpers/processes.js';

export interface StdioFixture {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /** Errors the client reported (e.g. unparsable stdout lines). */
  errors: Error[];
}

const cleanups: Array<() => void | Promise<void>> = [];

/** Registers work for cleanupAll (run it in afterEach). */
export function onCleanup(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}

export async function cleanupAll(): Promise<void> {
  const pending = cleanups.splice(0);
  await Promise.all(
    pending.map(async (fn) => {
      try {
        await fn();
      } catch {
        // one failed cleanup must not keep the others from running
      }
    }),
  );
}

/** Kills a pid if it is still there; ignores processes already gone. */
export function killQuietly(pid: number | null | undefined): void {
  if (pid === null || pid === undefined || !isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Creates (but does not connect) a client for `node <fixture> ...args`, or for a non-node command
 * such as wrapper.sh. drainStderr: false leaves the server's stderr unread, to show what that does.
 */
export function stdioFixture(
  file: string,
  args: readonly string[] = [],
  options: { drainStderr?: boolean; env?: Record<string, string> } = {},
): StdioFixture {
  const script = fixturePath(file);
  const isNode = file.endsWith('.mjs');
  const transport = new StdioClientTransport({
    command: isNode ? process.execPath : script,
    args: isNode ? [script, ...args] : [...args],
    stderr: 'pipe',
    ...(options.env ? { env: options.env } : {}),
  });
  let log = '';
  if (options.drainStderr !== false) transport.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  // The SDK forgets the pid as soon as it starts closing (which Client.connect does on failure) and
  // kills a server that ignores stdin EOF only seconds later, after this test file may be gone.
  let pid: number | null = null;
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    pid = transport.pid;
  };
  const client = new Client({ name: 'fixture-smoke-test', version: '0.0.0' });
  const errors: Error[] = [];
  client.onerror = (err) => errors.push(err);
  onCleanup(async () => {
    killQuietly(pid);
    await client.close();
  });
  return { client, transport, stderr: () => log, errors };
}
