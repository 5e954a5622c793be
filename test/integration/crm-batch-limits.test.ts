// CRM rate limit against JSON-RPC batches: every request in a POST is charged, calls past the budget get their
// own JSON-RPC error (or the whole POST a 429 when not even its first request gets a token), batches are bounded,
// and the audit log keeps one line per call. Real HTTP POSTs to the built CLI's `serve crm` on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, mintToken, startCrm, type Connected, type CrmProcess } from './crm/harness.js';

interface RpcResponse {
  jsonrpc: '2.0';
  id: number | string | null;
  result?: { isError?: boolean; content?: unknown[] };
  error?: { code: number; message: string; data?: { error?: string; retry_after?: number } };
}

const RATE = 10;

/** Every JSON-RPC message in a response body, whether the server answered with JSON or with an SSE stream. */
function messagesIn(text: string, contentType: string): RpcResponse[] {
  if (contentType.includes('text/event-stream')) {
    return text
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice('data:'.length).trim())
      .filter((data) => data !== '')
      .map((data) => JSON.parse(data) as RpcResponse);
  }
  const parsed = JSON.parse(text) as RpcResponse | RpcResponse[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

function auditLines(file: string): Array<{ client: string; tool: string; outcome: string; reason?: string }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { client: string; tool: string; outcome: string; reason?: string });
}

describe('rate limit with batches', () => {
  let crm: CrmProcess;
  let session: Connected;
  let token: string;
  beforeAll(async () => {
    crm = await startCrm(['--rate', String(RATE)]);
    token = await mintToken(['tool:*'], { subject: 'batcher' });
    session = await connect(crm.url, token);
  });
  afterAll(async () => {
    await session?.close();
    await crm?.stop();
  });

  const post = async (body: unknown): Promise<{ status: number; messages: RpcResponse[]; raw: string }> => {
    const res = await fetch(crm.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': session.transport.sessionId ?? '',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify(body),
    });
    const raw = await res.text();
    return { status: res.status, raw, messages: res.status === 200 ? messagesIn(raw, res.headers.get('content-type') ?? '') : [] };
  };
  const calls = (from: number, count: number): unknown[] =>
    Array.from({ length: count }, (_, i) => ({
      jsonrpc: '2.0',
      id: from + i,
      method: 'tools/call',
      params: { name: 'search_contacts', arguments: { query: `batch ${from + i}` } },
    }));

  it('refuses a batch over 50 messages with a JSON-RPC error, runs none of it and audits none of it', async () => {
    const before = auditLines(crm.auditFile).length;
    const r = await post(calls(1000, 51));
    expect(r.status).toBe(400);
    const body = JSON.parse(r.raw) as RpcResponse;
    expect(body.error?.code).toBe(-32600);
    expect(body.error?.message).toContain('over the limit of 50');
    expect(auditLines(crm.auditFile).length).toBe(before);
  });

  it('four POSTs of 40 calls give no more calls than the budget; every other call is refused one by one and audited', async () => {
    const started = Date.now();
    const posts = [];
    for (let i = 0; i < 4; i++) posts.push(await post(calls(i * 100, 40)));
    const elapsedMs = Date.now() - started;

    // The first POST finds a few tokens left after initialize: it is served in part, the rest refused per call.
    const first = posts[0];
    expect(first?.status).toBe(200);
    let ok = 0;
    let limited = 0;
    for (const p of posts) {
      if (p.status === 429) {
        limited += 40;
        continue;
      }
      expect(p.status).toBe(200);
      // One answer per request, no more, no less.
      expect(p.messages.map((m) => m.id).sort()).toEqual([...new Set(p.messages.map((m) => m.id))].sort());
      expect(p.messages).toHaveLength(40);
      for (const m of p.messages) {
        if (m.error) {
          expect(m.error).toMatchObject({ code: -32000, data: { error: 'rate_limited' } });
          expect(m.error.message).toContain('too many requests from "batcher"');
          limited += 1;
        } else {
          expect(m.result?.isError).toBeFalsy();
          ok += 1;
        }
      }
    }
    // The bucket holds RATE tokens (initialize spent one) and refills RATE per minute while the test runs.
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThanOrEqual(RATE + Math.ceil((elapsedMs / 60_000) * RATE));
    expect(ok + limited).toBe(160);

    const lines = auditLines(crm.auditFile).filter((l) => l.client === 'batcher');
    expect(lines).toHaveLength(160);
    expect(lines.filter((l) => l.outcome === 'ok')).toHaveLength(ok);
    const denied = lines.filter((l) => l.outcome === 'denied');
    expect(denied).toHaveLength(limited);
    for (const l of denied) expect(l).toMatchObject({ tool: 'search_contacts', reason: 'rate limited' });
  });
});
