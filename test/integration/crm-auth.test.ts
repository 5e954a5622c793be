// CRM authentication and authorisation over real HTTP: missing, forged and expired tokens get 401 with a
// proper WWW-Authenticate challenge; scopes gate tools and resources; sessions belong to their client;
// `serve crm token` mints tokens from the shared key file; binding beyond loopback needs --allow-remote.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connect, isolatedEnv, mintToken, runCli, startCrm, tempDir as makeTempDir, textOf, type CrmProcess } from './crm/harness.js';

let crm: CrmProcess;
const scratch: string[] = [];
function tempDir(): string {
  const dir = makeTempDir();
  scratch.push(dir);
  return dir;
}

beforeAll(async () => {
  crm = await startCrm();
});

afterAll(async () => {
  await crm?.stop();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

async function expectChallenge(response: Response, description: RegExp): Promise<void> {
  expect(response.status).toBe(401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer realm="mcpsh-crm", error="invalid_token", error_description="[^"]+"$/);
  expect(challenge).toMatch(description);
  const body = (await response.json()) as { error: string; error_description: string };
  expect(body.error).toBe('invalid_token');
  expect(body.error_description).toMatch(description);
}

describe('bearer tokens', () => {
  it('refuses a request with no token', async () => {
    await expectChallenge(await post(crm.url, initialize), /no Authorization header/);
    const failure = await connect(crm.url, null).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StreamableHTTPError);
    expect((failure as StreamableHTTPError).code).toBe(401);
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await mintToken(['tool:*'], { secret: 'some-other-secret-that-is-long-enough-0000' });
    await expectChallenge(await post(crm.url, initialize, { authorization: `Bearer ${forged}` }), /signature is invalid/);
  });

  it('refuses an expired token', async () => {
    const expired = await mintToken(['tool:*'], { now: new Date(Date.now() - 2 * 3600_000), expiresInSeconds: 3600 });
    await expectChallenge(await post(crm.url, initialize, { authorization: `Bearer ${expired}` }), /expired/);
    const failure = await connect(crm.url, expired).catch((e: unknown) => e);
    expect((failure as StreamableHTTPError).code).toBe(401);
  });

  it('refuses an unsigned (alg none) token and a non-Bearer scheme', async () => {
    const payload = (await mintToken(['tool:*'])).split('.')[1] ?? '';
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    await expectChallenge(await post(crm.url, initialize, { authorization: `Bearer ${none}` }), /HS256|malformed/);
    await expectChallenge(await post(crm.url, initialize, { authorization: 'Basic dXNlcjpwYXNz' }), /Bearer scheme/);
  });
});

describe('scopes', () => {
  it('lets a token call only the tools it has scopes for, naming the missing scope', async () => {
    const reader = await connect(crm.url, await mintToken(['tool:search_contacts'], { subject: 'reader' }));
    try {
      const search = await reader.client.callTool({ name: 'search_contacts', arguments: { query: 'anh' } });
      expect(search.isError).toBeFalsy();

      const create = await reader.client.callTool({
        name: 'create_opportunity',
        arguments: { contact_id: 'contact_1', title: 'Sneaky deal', value: 1 },
      });
      expect(create.isError).toBe(true);
      expect(textOf(create)).toContain('tool:create_opportunity');

      const details = await reader.client.callTool({ name: 'get_contact_details', arguments: { contact_id: 'contact_1' } });
      expect(details.isError).toBe(true);
      expect(textOf(details)).toContain('tool:get_contact_details');

      await expect(reader.client.listResources()).rejects.toThrow(/resources:read/);
      await expect(reader.client.readResource({ uri: 'crm://contacts/contact_1' })).rejects.toThrow(/resources:read/);
    } finally {
      await reader.close();
    }
    // The denied call changed nothing.
    const admin = await connect(crm.url, await mintToken(['tool:*']));
    try {
      const details = await admin.client.callTool({ name: 'get_contact_details', arguments: { contact_id: 'contact_1' } });
      const titles = (details.structuredContent as { opportunities: { title: string }[] }).opportunities.map((o) => o.title);
      expect(titles).not.toContain('Sneaky deal');
    } finally {
      await admin.close();
    }
  });

  it('keeps a session to the client that opened it', async () => {
    const alice = await connect(crm.url, await mintToken(['tool:*'], { subject: 'alice' }));
    try {
      const sessionId = alice.transport.sessionId ?? '';
      expect(sessionId).not.toBe('');
      const bob = await mintToken(['tool:*'], { subject: 'bob' });
      const hijack = await post(
        crm.url,
        { jsonrpc: '2.0', id: 7, method: 'tools/list' },
        { authorization: `Bearer ${bob}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
      );
      expect(hijack.status).toBe(404);
      // Alice's session still works.
      expect((await alice.client.listTools()).tools.length).toBe(4);
    } finally {
      await alice.close();
    }
  });

  it('ends a session on DELETE', async () => {
    const token = await mintToken(['tool:*'], { subject: 'carol' });
    const carol = await connect(crm.url, token);
    const sessionId = carol.transport.sessionId ?? '';
    await carol.transport.terminateSession();
    const after = await post(
      crm.url,
      { jsonrpc: '2.0', id: 9, method: 'tools/list' },
      { authorization: `Bearer ${token}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
    );
    expect(after.status).toBe(404);
    await carol.client.close();
  });
});

describe('serve crm token (key file shared with the server)', () => {
  it('mints a token the server accepts, from a 0600 key file in the data dir', async () => {
    const keyed = await startCrm([], { MCPSH_CRM_SECRET: undefined });
    try {
      const env = isolatedEnv(keyed.dir, { MCPSH_CRM_SECRET: undefined });
      const keyFile = join(keyed.dir, 'data', 'crm-secret.key');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);

      const minted = await runCli(
        ['serve', 'crm', 'token', '--scopes', 'tool:search_contacts,resources:read', '--subject', 'cli-user', '--expires', '10m'],
        env,
      );
      expect(minted.code).toBe(0);
      const token = minted.stdout.trim();
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
        sub: string;
        scope: string;
        exp: number;
        iat: number;
      };
      expect(claims).toMatchObject({ sub: 'cli-user', scope: 'tool:search_contacts resources:read' });
      expect(claims.exp - claims.iat).toBe(600);

      const conn = await connect(keyed.url, token);
      try {
        const result = await conn.client.callTool({ name: 'search_contacts', arguments: { query: 'binh' } });
        expect((result.structuredContent as { total_found: number }).total_found).toBe(1);
      } finally {
        await conn.close();
      }
      // A token from the env secret is not valid against the key-file server.
      await expectChallenge(await post(keyed.url, initialize, { authorization: `Bearer ${await mintToken(['tool:*'])}` }), /signature/);
    } finally {
      await keyed.stop();
    }
  });

  it('rejects unknown scopes and bad durations with usage errors', async () => {
    const env = isolatedEnv(tempDir());
    const scope = await runCli(['serve', 'crm', 'token', '--scopes', 'tool:drop_database'], env);
    expect(scope.code).toBe(2);
    expect(scope.stdout).toBe('');
    expect(scope.stderr).toContain('unknown scope: tool:drop_database');
    const duration = await runCli(['serve', 'crm', 'token', '--scopes', 'tool:*', '--expires', 'soon'], env);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain('invalid duration "soon"');
  });
});

describe('listening address', () => {
  it('refuses a non-loopback host without --allow-remote', async () => {
    const result = await runCli(
      ['serve', 'crm', '--host', '0.0.0.0', '--port', '0', '--db', join(tempDir(), 'x.db')],
      isolatedEnv(tempDir()),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('refusing to listen on 0.0.0.0');
    expect(result.stderr).toContain('--allow-remote');
    expect(result.stderr).not.toContain('listening on');
  });

  it('stops cleanly on SIGTERM and frees the port', async () => {
    const short = await startCrm();
    const code = await short.stop();
    expect(code).toBe(143);
    await expect(fetch(short.url, { method: 'POST' })).rejects.toThrow();
  });
});
