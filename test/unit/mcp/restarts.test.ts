// Restart handling (src/mcp/restarts.ts) records why a server is down through the connection's one error setter,
// so a secret in the reason (here: a key in the server's URL) is redacted the same way whether a restart attempt
// failed and another follows, the restarts gave up, or anything else set the error.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedServer } from '../../../src/config/schema.js';
import { ServerConnection } from '../../../src/mcp/connection.js';
import { addSecrets, REDACTED } from '../../../src/policy/redact.js';
import { nodeServer, remoteServer } from '../../helpers/config.js';
import { fixturePath, startHttpFixture } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/processes.js';

const SECRET = 'rst-secret-key-7f3a9c';
const dir = mkdtempSync(join(tmpdir(), 'mcpsh-restarts-'));
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

function connection(server: ResolvedServer): ServerConnection {
  const c = new ServerConnection(server, {
    env: process.env,
    stderrLogPath: join(dir, `${server.name}.log`),
    clientInfo: { name: 't', version: '0' },
  });
  open.push(c);
  return c;
}

/**
 * A ready HTTP server reached with a secret in its URL, then gone (and noticed by a health ping): what each
 * reconnect attempt records starts with that URL, redacted as `expected`.
 */
async function lost(name: string, maxRestarts: number): Promise<{ c: ServerConnection; expected: string }> {
  addSecrets([SECRET]);
  const fixture = await startHttpFixture('basic.mjs', ['--http', '0']);
  open.push(fixture);
  const c = connection(remoteServer(name, `${fixture.url}?key=${SECRET}`, 'http', { maxRestarts }));
  await c.connect();
  expect(c.state).toBe('ready');
  await fixture.close();
  await c.checkHealth();
  expect(c.state).toBe('restarting');
  return { c, expected: `${fixture.url}?key=${REDACTED}: connection refused (is the server running?)` };
}

describe('restart errors are redacted like every other', () => {
  it('a reconnect attempt that fails while more follow records its reason redacted', async () => {
    const { c, expected } = await lost('retrying', 10);
    expect(c.error).toMatch(/^did not answer a health ping/);
    await waitFor(() => c.error?.includes('connection refused') === true, { what: 'a failed reconnect attempt' });
    expect(c.error).toBe(expected);
    expect(c.state).toBe('restarting');
  });

  it('the last attempt, after which the server stays failed, is redacted the same way', async () => {
    const { c, expected } = await lost('giving-up', 1);
    await waitFor(() => c.state === 'failed', { what: 'the server to be failed' });
    expect(c.error).toBe(`${expected} (gave up after 1 restart attempt)`);
  });

  it('an error set on the connection from anywhere is redacted', () => {
    addSecrets([SECRET]);
    const c = connection(nodeServer('idle', fixturePath('basic.mjs')));
    c.error = `refreshing tools after list_changed failed: bad key ${SECRET}`;
    expect(c.error).toBe(`refreshing tools after list_changed failed: bad key ${REDACTED}`);
    c.error = undefined;
    expect(c.error).toBeUndefined();
  });
});
