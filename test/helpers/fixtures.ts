// Paths to the fixture MCP servers and a launcher for the ones that serve HTTP, for tests.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { scaled } from './time.js';

const SERVERS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'servers');

/** Absolute path of a fixture server file, e.g. fixturePath('basic.mjs'). */
export function fixturePath(name: string): string {
  return join(SERVERS_DIR, name);
}

export interface HttpFixture {
  /** The URL the fixture printed, e.g. http://127.0.0.1:40123/mcp */
  url: string;
  pid: number;
  /** Everything the fixture wrote on stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export interface StartOptions {
  timeoutMs?: number;
}

/**
 * Starts `node <fixture> ...args` and resolves once it prints `listening <url>` on stderr.
 * For basic.mjs pass ['--http', '0'] or ['--sse', '0']; the http-* fixtures need no args.
 */
export function startHttpFixture(file: string, args: readonly string[] = [], options: StartOptions = {}): Promise<HttpFixture> {
  const timeoutMs = scaled(options.timeoutMs ?? 10_000);
  const child = spawn(process.execPath, [fixturePath(file), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), scaled(2000));
    await exited;
    clearTimeout(timer);
  };

  return new Promise<HttpFixture>((resolve, reject) => {
    const fail = (reason: string): void => {
      void close().then(() => reject(new Error(`${file} ${args.join(' ')}: ${reason}\nstderr:\n${log}`)));
    };
    const timer = setTimeout(() => fail(`no "listening <url>" line within ${timeoutMs}ms`), timeoutMs);
    child.once('error', (err) => fail(err.message));
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null): void => fail(`exited early (code ${code}, signal ${signal})`);
    child.once('exit', onEarlyExit);
    const lines = createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      log += `${line}\n`;
      const match = /^listening (\S+)/.exec(line);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      resolve({ url: match[1], pid: child.pid ?? -1, stderr: () => log, close });
    });
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1 (prefer port 0 where the server allows it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
