// Issue 15 item 8: a refusing remote server is reported in its own words, blaming credentials only when
// some were sent; a crashed stdio server by its error, not the runtime's trailing banner.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedServer } from '../../src/config/schema.js';
import { ServerConnection } from '../../src/mcp/connection.js';
import { nodeServer, remoteServer } from '../helpers/config.js';
import { fixturePath, startHttpFixture } from '../helpers/fixtures.js';

const logDir = mkdtempSync(join(tmpdir(), 'mcpsh-errors-'));
const open: Array<{ close(): Promise<void> }> = [];

function connection(config: ResolvedServer): ServerConnection {
  const c = new ServerConnection(config, {
    env: process.env,
    stderrLogPath: join(logDir, `${config.name}.log`),
    clientInfo: { name: 'mcpsh-test', version: '0' },
  });
  open.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function failure(config: ResolvedServer): Promise<string> {
  const c = connection(config);
  await c.connect();
  expect(c.state).toBe('failed');
  return c.error ?? '';
}

describe('a refusing remote server', () => {
  it('403 with no credentials: the body is the reason, credentials are not blamed', async () => {
    const f = await startHttpFixture('http-refuse.mjs', ['403', 'Access is only allowed at localhost:4321']);
    open.push(f);
    for (const transport of ['auto', 'http', 'sse'] as const) {
      const error = await failure(remoteServer(`r-${transport}`, f.url, transport, { oauth: false }));
      expect(error, transport).toContain('HTTP 403');
      expect(error, transport).toContain('Access is only allowed at localhost:4321');
      expect(error, transport).not.toMatch(/credentials[^.]*lack permission/);
      expect(error, transport).toContain('no credentials were sent');
    }
  });

  it('403 with an Authorization header: the reason, and then the credentials are blamed', async () => {
    const f = await startHttpFixture('http-refuse.mjs', ['403', 'token lacks the admin role']);
    open.push(f);
    const error = await failure(remoteServer('r', f.url, 'http', { headers: { Authorization: 'Bearer abc' } }));
    expect(error).toContain('token lacks the admin role');
    expect(error).toContain('the credentials sent lack permission');
  });

  it('401 with no credentials says none were sent; the body is bounded and terminal-safe', async () => {
    const f = await startHttpFixture('http-refuse.mjs', ['401', `sign in first \u001b]0;PWNED\u0007${'x'.repeat(5000)}`]);
    open.push(f);
    const error = await failure(remoteServer('r', f.url, 'http', { oauth: false }));
    expect(error).toContain('HTTP 401');
    expect(error).toContain('sign in first');
    expect(error).toContain('no credentials were sent');
    expect(error).not.toContain('\u001b');
    expect(error.length).toBeLessThan(600);
  });

  it('401 with WWW-Authenticate: its error_description is the reason', async () => {
    const f = await startHttpFixture('http-401.mjs', []);
    open.push(f);
    const error = await failure(remoteServer('r', f.url, 'http', { headers: { Authorization: 'Bearer old' } }));
    expect(error).toContain('no valid bearer token');
    expect(error).toContain('check the Authorization header');
  });
});

describe('a crashed stdio server', () => {
  it('is reported by its error, not the "Node.js vX" banner', async () => {
    const error = await failure(nodeServer('crash', fixturePath('crash-with-error.mjs')));
    expect(error).toContain('exited with code 1');
    expect(error).toContain('Error: config file missing: /etc/fixture/server.json');
    expect(error).not.toContain('Node.js v');
  });
});
