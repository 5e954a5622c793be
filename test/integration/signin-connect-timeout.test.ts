// connectTimeout bounds starting a server, not the person in the browser: an OAuth sign-in that takes
// longer than connectTimeout still ends with a ready server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setAuthPolicy } from '../../src/auth/context.js';
import { ServerConnection } from '../../src/mcp/connection.js';
import { remoteServer } from '../helpers/config.js';
import { startOAuthFixture, type OAuthFixture } from '../fixtures/auth/oauth-fixture.js';

const SLOW_BROWSER = `'${process.execPath}' '${fileURLToPath(new URL('../fixtures/auth/slow-browser.mjs', import.meta.url))}' 1500`;

let f: OAuthFixture;
let dir: string;

beforeAll(async () => {
  f = await startOAuthFixture({ scopesSupported: ['mcp:read'] });
  dir = mkdtempSync(join(tmpdir(), 'mcpsh-signin-timeout-'));
});

afterAll(async () => {
  await f?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a sign-in slower than connectTimeout pauses it; the connect then gets its full time again and succeeds', async () => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, MCPSH_DATA_DIR: join(dir, 'data') };
  const notices: string[] = [];
  setAuthPolicy(env, { interactive: true, browser: SLOW_BROWSER, notify: (m) => notices.push(m), callbackTimeoutMs: 20_000 });
  const c = new ServerConnection(remoteServer('remote', f.mcpUrl, 'http', { connectTimeoutMs: 700, oauth: { redirectPort: 0 } }), {
    env,
    stderrLogPath: join(dir, 'remote.log'),
    clientInfo: { name: 'test', version: '1' },
  });
  try {
    await c.connect();
    expect(c.error).toBeUndefined();
    expect(c.state).toBe('ready');
    expect(f.authorizeRequests).toHaveLength(1);
  } finally {
    await c.close();
  }
});
