// headersHelper: a shell command printing JSON headers, run before connecting and again after a 401,
// winning over `headers`, its values masked as secrets; bad output fails clearly without echoing values.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runHeadersHelper } from '../../src/auth/headers-helper.js';
import { AppError } from '../../src/errors.js';
import { ServerConnection } from '../../src/mcp/connection.js';
import { redact } from '../../src/policy/redact.js';
import { remoteServer } from '../helpers/config.js';
import { startOAuthFixture } from '../fixtures/auth/oauth-fixture.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-helper-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const env = { PATH: process.env.PATH };

describe('runHeadersHelper', () => {
  it('returns the headers and registers their values as secrets', async () => {
    const headers = await runHeadersHelper({
      server: 'api',
      command: `echo '{"Authorization": "Bearer helper-secret-1", "X-Team": "blue-team"}'`,
      env,
    });
    expect(headers).toEqual({ Authorization: 'Bearer helper-secret-1', 'X-Team': 'blue-team' });
    expect(redact('sent helper-secret-1 and blue-team')).toBe('sent *** and ***');
  });

  it('names the server and the command, never the output, when the output is not a JSON object of strings', async () => {
    const cases: Array<[string, RegExp]> = [
      [`echo 'token=not-json-secret'`, /did not print a JSON object on stdout/],
      [`echo '["a"]'`, /printed JSON that is not an object/],
      [`echo '{"Authorization": 42}'`, /non-string value for header "Authorization"/],
      [`echo oops >&2; exit 3`, /exited with status 3: oops/],
    ];
    for (const [command, reason] of cases) {
      const err = await runHeadersHelper({ server: 'api', command, env }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      const message = (err as AppError).message;
      expect(message).toContain(`the headersHelper of server "api" (\`${command}\`)`);
      expect(message).toMatch(reason);
      expect(message.replace(command, '')).not.toContain('not-json-secret');
    }
  });

  it('is stopped when it takes longer than its time limit', async () => {
    const err = await runHeadersHelper({ server: 'api', command: 'sleep 30', env, timeoutMs: 300 }).catch((e: unknown) => e);
    expect((err as AppError).message).toMatch(/the headersHelper of server "api" \(`sleep 30`\) did not finish within 0.3s/);
  });
});

describe('a server behind a headersHelper', () => {
  it('connects with the helper headers, which win over `headers`, and re-runs the helper after a 401', async () => {
    const f = await startOAuthFixture({ staticToken: 'fresh-helper-token' });
    cleanup.push(() => f.close());
    const dir = scratch();
    const marker = join(dir, 'ran-once');
    // First run prints a stale token; every later run prints the fresh one.
    const helper = `if [ -f '${marker}' ]; then echo '{"Authorization":"Bearer fresh-helper-token"}'; else touch '${marker}'; echo '{"Authorization":"Bearer stale-helper-token"}'; fi`;
    const entry = remoteServer('api', f.mcpUrl, 'http', { headers: { Authorization: 'Bearer from-config' }, headersHelper: helper });
    const c = new ServerConnection(entry, {
      env: { ...env, MCPSH_DATA_DIR: join(dir, 'data') },
      stderrLogPath: join(dir, 'api.log'),
      clientInfo: { name: 't', version: '1' },
    });
    cleanup.push(() => c.close());
    await c.connect();
    expect(c.state).toBe('ready');
    expect(f.acceptedTokens[0]).toBe('fresh-helper-token');
    // OAuth was never tried: the helper supplies Authorization.
    expect(f.metadataRequests).toHaveLength(0);
  });

  it('runs in the directory of the config file that names the server, wherever mcpsh was started', async () => {
    const f = await startOAuthFixture({ staticToken: 'token-from-script' });
    cleanup.push(() => f.close());
    const dir = scratch();
    writeFileSync(join(dir, 'get-token.sh'), `#!/bin/sh\necho '{"Authorization":"Bearer token-from-script"}'\n`, { mode: 0o755 });
    // This process runs in the repository, not in `dir`: a relative helper only works if its cwd is the config's folder.
    expect(process.cwd()).not.toBe(dir);
    const entry = remoteServer('api', f.mcpUrl, 'http', { headersHelper: './get-token.sh', source: join(dir, 'mcp.config.json') });
    const c = new ServerConnection(entry, {
      env: { ...env, MCPSH_DATA_DIR: join(dir, 'data') },
      stderrLogPath: join(dir, 'api.log'),
      clientInfo: { name: 't', version: '1' },
    });
    cleanup.push(() => c.close());
    await c.connect();
    expect(c.error).toBeUndefined();
    expect(c.state).toBe('ready');
    expect(f.acceptedTokens[0]).toBe('token-from-script');
  });

  it('a failing helper fails the server with a clear reason', async () => {
    const f = await startOAuthFixture();
    cleanup.push(() => f.close());
    const dir = scratch();
    const c = new ServerConnection(remoteServer('api', f.mcpUrl, 'http', { headersHelper: 'exit 1' }), {
      env: { ...env, MCPSH_DATA_DIR: join(dir, 'data') },
      stderrLogPath: join(dir, 'api.log'),
      clientInfo: { name: 't', version: '1' },
    });
    cleanup.push(() => c.close());
    await c.connect();
    expect(c.state).toBe('failed');
    expect(c.error).toBe('the headersHelper of server "api" (`exit 1`) exited with status 1');
  });
});
