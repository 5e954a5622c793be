// The bundled servers speak the 2026-07-28 revision too: a v2 client pinned to the modern era (no initialize, no
// session) lists and calls the sqlite server's tools over stdio and the CRM's over HTTP with a bearer token, and
// the CRM's policy (scopes, audit, 401, 429) holds for it as for 2025-era clients, on the same server at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, SdkHttpError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken, startCrm, textOf, type CrmProcess } from './crm/harness.js';
import { BIN, REPO, makeTempDir } from './sqlite/harness.js';
import { scaled } from '../helpers/time.js';

const MODERN = '2026-07-28';

function modernClient(): Client {
  return new Client({ name: 'modern-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: MODERN } } });
}

/** A hand-built 2026-07-28 POST (envelope in _meta, standard headers), to see the HTTP answer itself. */
function modernPost(url: string, token: string | null, method = 'tools/list'): Promise<Response> {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  };
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { _meta: meta } }),
  });
}

function legacyClient(): Client {
  return new Client({ name: 'legacy-test', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
}

describe('serve sqlite, 2026-07-28 client over stdio', () => {
  const temp = makeTempDir();
  let client: Client;

  beforeAll(async () => {
    client = modernClient();
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'serve', 'sqlite', join(temp.dir, 'demo.db'), '--demo'],
        cwd: REPO,
        stderr: 'pipe',
      }),
    );
  }, scaled(30_000));

  afterAll(async () => {
    await client?.close();
    temp.remove();
  });

  it('negotiates the modern era and lists the tools with their schemas', async () => {
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['list_tables', 'describe_table', 'query', 'insert_record']);
    const query = tools.find((t) => t.name === 'query');
    expect(query?.inputSchema.required).toEqual(['sql']);
    expect(query?.outputSchema?.type).toBe('object');
    expect(query?.annotations?.readOnlyHint).toBe(true);
  });

  it('calls query with bound parameters and gets structured rows', async () => {
    const result = await client.callTool({
      name: 'query',
      arguments: { sql: 'SELECT name FROM customers WHERE email = ?', params: ['an@example.com'] },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ columns: ['name'], rows: [['Nguyễn Văn An']], rowCount: 1, truncated: false });
  });

  it('keeps read-only enforced by SQLite, and inserts through insert_record', async () => {
    const refused = await client.callTool({ name: 'query', arguments: { sql: 'DELETE FROM orders' } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^Refused: query only runs read-only statements/);
    const inserted = await client.callTool({
      name: 'insert_record',
      arguments: { table: 'customers', values: { name: 'Modern Client', email: 'modern@example.com' } },
    });
    expect(inserted.isError).toBeFalsy();
    expect(inserted.structuredContent).toMatchObject({ table: 'customers', row: { name: 'Modern Client' } });
  });
});

describe('serve crm, 2026-07-28 client over HTTP with a bearer token', () => {
  let crm: CrmProcess;
  const open: Client[] = [];

  async function connect(url: string, token: string, client = modernClient()): Promise<Client> {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
    );
    open.push(client);
    return client;
  }

  function auditLines(): { client: string; tool: string; outcome: string; reason?: string }[] {
    return readFileSync(crm.auditFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { client: string; tool: string; outcome: string; reason?: string });
  }

  beforeAll(async () => {
    crm = await startCrm();
  }, scaled(30_000));

  afterAll(async () => {
    for (const c of open) await c.close().catch(() => undefined);
    await crm?.stop();
  });

  it('lists and calls tools; a call outside the token scopes is denied and audited', async () => {
    const client = await connect(crm.url, await mintToken(['tool:search_contacts'], { subject: 'modern-reader' }));
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getServerVersion()?.name).toBe('mcpsh-crm');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'create_opportunity',
      'get_contact_details',
      'search_contacts',
      'update_contact_notes',
    ]);

    const found = await client.callTool({ name: 'search_contacts', arguments: { query: 'nguyen', limit: 1 } });
    expect(found.isError).toBeFalsy();
    expect(found.structuredContent).toMatchObject({ contacts: [{ id: 'contact_1' }] });

    const denied = await client.callTool({
      name: 'create_opportunity',
      arguments: { contact_id: 'contact_1', title: 'Deal', value: 10 },
    });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(/^Permission denied: the token for "modern-reader" lacks the scope "tool:create_opportunity"/);

    const mine = auditLines().filter((l) => l.client === 'modern-reader');
    expect(mine).toEqual([
      expect.objectContaining({ tool: 'search_contacts', outcome: 'ok' }),
      expect.objectContaining({ tool: 'create_opportunity', outcome: 'denied', reason: 'missing scope tool:create_opportunity' }),
    ]);
  });

  it('gates resources on resources:read and reads crm://contacts/{id} with it', async () => {
    const toolsOnly = await mintToken(['tool:*'], { subject: 'no-resources' });
    const without = await connect(crm.url, toolsOnly);
    await expect(without.readResource({ uri: 'crm://contacts/contact_1' })).rejects.toThrow(/lacks the scope "resources:read"/);
    // A refusal is an ordinary in-band answer (HTTP 200), not a protocol-level rejection (400).
    const raw = await modernPost(crm.url, toolsOnly, 'resources/list');
    expect(raw.status).toBe(200);
    expect(((await raw.json()) as { error?: { message: string } }).error?.message).toMatch(
      /lacks the scope "resources:read" needed for resources\/list/,
    );

    const reader = await connect(crm.url, await mintToken(['resources:read'], { subject: 'resource-reader' }));
    const read = await reader.readResource({ uri: 'crm://contacts/contact_1' });
    const first = read.contents[0];
    expect(first && 'text' in first ? (JSON.parse(first.text) as { contact: { id: string } }).contact.id : undefined).toBe('contact_1');
    await expect(reader.readResource({ uri: 'crm://contacts/contact_999' })).rejects.toThrow(/No contact at crm:\/\/contacts\/contact_999/);
  });

  it('serves a 2025-era client on the same endpoint at the same time', async () => {
    const token = await mintToken(['tool:*']);
    const modern = await connect(crm.url, token);
    const legacy = await connect(crm.url, token, legacyClient());
    expect(legacy.getProtocolEra()).toBe('legacy');
    const [a, b] = await Promise.all([
      modern.callTool({ name: 'get_contact_details', arguments: { contact_id: 'contact_2' } }),
      legacy.callTool({ name: 'get_contact_details', arguments: { contact_id: 'contact_2' } }),
    ]);
    expect(a.structuredContent).toEqual(b.structuredContent);
  });

  it('refuses a missing or forged token with 401 before any era is negotiated', async () => {
    const forged = await mintToken(['tool:*'], { secret: 'another-secret-that-is-long-enough-0123456789' });
    const failure = await connect(crm.url, forged).catch((e: unknown) => e);
    expect(SdkHttpError.isInstance(failure) ? failure.status : failure).toBe(401);
    const bare = await modernPost(crm.url, null);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="mcpsh-crm", error="invalid_token", error_description="no Authorization header/,
    );
  });

  it('answers 429 with Retry-After once the per-client budget is spent', async () => {
    const limited = await startCrm(['--rate', '2']);
    try {
      const client = await connect(limited.url, await mintToken(['tool:*'], { subject: 'hasty' }));
      // connect spent one request (server/discover); listTools the second; the third is over the budget.
      await client.listTools();
      const failure = await client.callTool({ name: 'search_contacts', arguments: {} }).catch((e: unknown) => e);
      expect(SdkHttpError.isInstance(failure) ? failure.status : failure).toBe(429);
      const raw = await modernPost(limited.url, await mintToken(['tool:*'], { subject: 'hasty' }));
      expect(raw.status).toBe(429);
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const lines = readFileSync(limited.auditFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { tool: string; outcome: string; reason?: string });
      expect(lines).toEqual([expect.objectContaining({ tool: 'search_contacts', outcome: 'denied', reason: 'rate limited' })]);
    } finally {
      await limited.stop();
    }
  });
});
