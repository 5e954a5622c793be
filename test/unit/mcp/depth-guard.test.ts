// The inbound depth guard on messages from servers: what is passed on, answered, dropped and reported.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { guardInboundDepth, screenMessage } from '../../../src/mcp/depth-guard.js';

const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) as unknown;
const msg = (m: Record<string, unknown>): JSONRPCMessage => ({ jsonrpc: '2.0', ...m }) as JSONRPCMessage;

describe('screenMessage', () => {
  it('passes ordinary messages through untouched (the same object)', () => {
    const m = msg({ id: 1, result: { content: [{ type: 'text', text: 'hi' }] } });
    expect(screenMessage(m).deliver).toBe(m);
  });

  it('a deep answer becomes an error answer for the same id', () => {
    const s = screenMessage(msg({ id: 7, result: { structuredContent: { v: deep } } }));
    expect(s.deliver).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32603, message: "the server's answer is JSON nested deeper than 256 levels; mcpsh refused it" },
    });
    expect(s.refused).toMatch(/nested deeper than 256/);
  });

  it('a deep error answer keeps its id and loses its data', () => {
    const s = screenMessage(msg({ id: 'x', error: { code: 1, message: 'no', data: deep } }));
    expect(s.deliver).toMatchObject({ id: 'x', error: { message: "the server's error answer is JSON nested deeper than 256 levels" } });
  });

  it('tools/list: only the deep tool is left out, and named', () => {
    const ok = { name: 'ok', inputSchema: { type: 'object' } };
    const s = screenMessage(msg({ id: 2, result: { tools: [ok, { name: 'bad', inputSchema: { type: 'object', default: deep } }] } }));
    expect(s.deliver).toEqual(msg({ id: 2, result: { tools: [ok] } }));
    expect(s.skipped).toEqual([{ tool: 'bad', reason: 'its definition is JSON nested deeper than 256 levels' }]);
  });

  it('tools/list deep outside the tools array: the whole answer is refused', () => {
    const s = screenMessage(msg({ id: 3, result: { tools: [], _meta: { x: deep } } }));
    expect(s.deliver).toMatchObject({ id: 3, error: { code: -32603 } });
  });

  it('a deep notification is dropped; a deep request gets an error reply and is not delivered', () => {
    const n = screenMessage(msg({ method: 'notifications/progress', params: { progressToken: 1, progress: 1, x: deep } }));
    expect(n.deliver).toBeUndefined();
    expect(n.refused).toBe('a notifications/progress notification from the server was ignored: it is JSON nested deeper than 256 levels');
    const r = screenMessage(msg({ id: 9, method: 'sampling/createMessage', params: { messages: deep } }));
    expect(r.deliver).toBeUndefined();
    expect(r.reply).toMatchObject({ id: 9, error: { code: -32602 } });
  });
});

describe('guardInboundDepth', () => {
  function fakeTransport(): Transport & { sent: JSONRPCMessage[] } {
    const sent: JSONRPCMessage[] = [];
    return {
      sent,
      start: () => Promise.resolve(),
      close: () => Promise.resolve(),
      send: (m: JSONRPCMessage) => (sent.push(m), Promise.resolve()),
    };
  }

  it('wraps the handler the Client sets later, and chains to an accessor installed before it', () => {
    const t = fakeTransport();
    const traced: unknown[] = [];
    // What open-session's debug tracer does: an accessor that wraps whatever is set.
    let inner: Transport['onmessage'];
    Object.defineProperty(t, 'onmessage', {
      configurable: true,
      get: () => inner,
      set: (next: Transport['onmessage']) => {
        inner = next ? (m, e) => (traced.push(m), next(m, e)) : next;
      },
    });
    const refused: string[] = [];
    guardInboundDepth(t, { onRefused: (r) => refused.push(r), onSkippedTools: () => undefined });
    const received: JSONRPCMessage[] = [];
    t.onmessage = (m) => received.push(m);
    t.onmessage?.(msg({ id: 1, result: {} }));
    t.onmessage?.(msg({ method: 'notifications/message', params: { level: 'info', data: deep } }));
    t.onmessage?.(msg({ id: 5, method: 'elicitation/create', params: { requestedSchema: deep } }));
    expect(received).toEqual([msg({ id: 1, result: {} })]);
    expect(traced).toHaveLength(3);
    expect(refused).toHaveLength(2);
    expect(t.sent).toEqual([
      msg({ id: 5, error: { code: -32602, message: 'the client refused the request: it is JSON nested deeper than 256 levels' } }),
    ]);
  });
});
