// CRM per-client rate limit (HTTP 429 with Retry-After, per token subject) and the audit log (one JSONL line
// per tool call, arguments only as a sha256 of their canonical JSON), against the built CLI over real HTTP.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connect, mintToken, startCrm, type CrmProcess } from './crm/harness.js';

interface AuditLine {
  time: string;
  client: string;
  server: string;
  tool: string;
  argsSha256: string;
  outcome: 'ok' | 'error' | 'denied';
  durationMs: number;
  reason?: string;
}

function auditLines(file: string): AuditLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditLine);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('rate limit', () => {
  let crm: CrmProcess;
  beforeAll(async () => {
    crm = await startCrm(['--rate', '4']);
  });
  afterAll(async () => {
    await crm?.stop();
  });

  it('answers 429 with Retry-After once a client spends its budget, and leaves other clients alone', async () => {
    const token = await mintToken(['tool:*'], { subject: 'greedy' });
    const greedy = await connect(crm.url, token);
    let succeeded = 0;
    let refusal: unknown;
    try {
      // Bounded: the budget is 4 requests, so this ends well before 10.
      for (let i = 0; i < 10 && refusal === undefined; i++) {
        try {
          await greedy.client.callTool({ name: 'search_contacts', arguments: { query: `round ${i}` } });
          succeeded += 1;
        } catch (err) {
          refusal = err;
        }
      }
      expect(succeeded).toBeGreaterThan(0);
      expect(refusal).toBeInstanceOf(StreamableHTTPError);
      expect((refusal as StreamableHTTPError).code).toBe(429);
      expect((refusal as Error).message).toContain('rate_limited');

      const raw = await fetch(crm.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': greedy.transport.sessionId ?? '',
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/list' }),
      });
      expect(raw.status).toBe(429);
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await raw.json()) as { error: string; error_description: string; retry_after: number };
      expect(body.error).toBe('rate_limited');
      expect(body.error_description).toContain('greedy');
    } finally {
      await greedy.close();
    }

    const other = await connect(crm.url, await mintToken(['tool:*'], { subject: 'patient' }));
    try {
      const result = await other.client.callTool({ name: 'search_contacts', arguments: { query: 'anh' } });
      expect(result.isError).toBeFalsy();
    } finally {
      await other.close();
    }

    const denied = auditLines(crm.auditFile).filter((l) => l.client === 'greedy' && l.outcome === 'denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ tool: 'search_contacts', reason: 'rate limited' });
  });
});

describe('audit log', () => {
  let crm: CrmProcess;
  beforeAll(async () => {
    crm = await startCrm();
  });
  afterAll(async () => {
    await crm?.stop();
  });

  it('writes one line per tool call with the outcome and a hash of the arguments, never the arguments', async () => {
    const marker = 'ZEBRA-MARKER-4242';
    const writer = await connect(crm.url, await mintToken(['tool:*'], { subject: 'auditor' }));
    const reader = await connect(crm.url, await mintToken(['tool:search_contacts'], { subject: 'limited' }));
    try {
      await writer.client.callTool({ name: 'search_contacts', arguments: { query: 'anh', limit: 3 } });
      await writer.client.callTool({ name: 'get_contact_details', arguments: { contact_id: 'contact_999' } });
      await writer.client.callTool({ name: 'update_contact_notes', arguments: { contact_id: 'contact_2', notes: `Secret ${marker}` } });
      await writer.client.callTool({ name: 'search_contacts', arguments: { limit: 1000 } });
      await writer.client.listTools(); // not a tool call: no line
      await reader.client.callTool({ name: 'create_opportunity', arguments: { contact_id: 'contact_1', title: marker, value: 1 } });
    } finally {
      await writer.close();
      await reader.close();
    }

    const text = readFileSync(crm.auditFile, 'utf8');
    expect(text).not.toContain(marker);
    expect(text).not.toContain('contact_999');
    const lines = auditLines(crm.auditFile);
    expect(lines.map((l) => [l.client, l.tool, l.outcome])).toEqual([
      ['auditor', 'search_contacts', 'ok'],
      ['auditor', 'get_contact_details', 'error'],
      ['auditor', 'update_contact_notes', 'ok'],
      ['auditor', 'search_contacts', 'error'],
      ['limited', 'create_opportunity', 'denied'],
    ]);
    // Keys sorted, no whitespace: the hash a client can compute from what it sent.
    expect(lines[0]?.argsSha256).toBe(sha256('{"limit":3,"query":"anh"}'));
    expect(lines[1]?.argsSha256).toBe(sha256('{"contact_id":"contact_999"}'));
    expect(lines[4]?.reason).toBe('missing scope tool:create_opportunity');
    for (const line of lines) {
      expect(line.server).toBe('crm');
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
      expect(line.durationMs).toBeGreaterThanOrEqual(0);
      expect(line.argsSha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
