// Real ServerConnections for integration tests: each connected one is closed by `closeAll` (afterEach),
// and its stderr goes to a log file in a temp dir the test may read.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ResolvedServer } from '../../src/config/schema.js';
import { ServerConnection } from '../../src/mcp/connection.js';

export interface ConnectionPool {
  logDir: string;
  /** Connects and expects the server to be ready. */
  connected: (config: ResolvedServer) => Promise<ServerConnection>;
  /** Anything else with a close() to end in closeAll (a Hub, say). */
  track: (closable: { close(): Promise<void> }) => void;
  closeAll: () => Promise<void>;
}

export function connectionPool(prefix: string): ConnectionPool {
  const logDir = mkdtempSync(join(tmpdir(), prefix));
  const open: Array<{ close(): Promise<void> }> = [];
  return {
    logDir,
    async connected(config) {
      const c = new ServerConnection(config, {
        env: process.env,
        stderrLogPath: join(logDir, `${config.name}.log`),
        clientInfo: { name: 'mcpsh-test', version: '0' },
      });
      open.push(c);
      await c.connect();
      expect(c.state).toBe('ready');
      return c;
    },
    track(closable) {
      open.push(closable);
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((c) => c.close()));
    },
  };
}
