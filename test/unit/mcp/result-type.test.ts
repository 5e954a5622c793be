// A 2026-07-28 answer without resultType means "complete" (SEP-2322), once the session has shown the server
// speaks the modern era; before that proof it passes untouched, so a stale remembered verdict is still noticed.
import { describe, expect, it } from 'vitest';
import { ResultTypeBridge } from '../../../src/mcp/result-type.js';
import type { JSONRPCMessage } from '../../../src/mcp/types.js';

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };
const modernRequest = (id: number, method: string): JSONRPCMessage => ({ jsonrpc: '2.0', id, method, params: { _meta: META } });
const answer = (id: number, result: Record<string, unknown>): JSONRPCMessage => ({ jsonrpc: '2.0', id, result });
const resultOf = (message: JSONRPCMessage): unknown => (message as { result?: unknown }).result;

describe('ResultTypeBridge', () => {
  it('leaves the first answer without resultType alone (a stale modern verdict must still fail and re-probe)', () => {
    const bridge = new ResultTypeBridge();
    bridge.sent(modernRequest(1, 'tools/list'));
    expect(resultOf(bridge.received(answer(1, { tools: [] })))).toEqual({ tools: [] });
    expect(bridge.modernProven).toBe(false);
  });

  it('after a modern answer, a tools/call result without resultType reads as complete', () => {
    const bridge = new ResultTypeBridge();
    bridge.sent(modernRequest(1, 'tools/list'));
    bridge.received(answer(1, { resultType: 'complete', tools: [], ttlMs: 0, cacheScope: 'private' }));
    bridge.sent(modernRequest(2, 'tools/call'));
    expect(resultOf(bridge.received(answer(2, { content: [] })))).toEqual({ content: [], resultType: 'complete' });
    // input_required and other explicit types are the SDK's to read.
    bridge.sent(modernRequest(3, 'tools/call'));
    expect(resultOf(bridge.received(answer(3, { resultType: 'input_required', requestState: 'x' })))).toEqual({
      resultType: 'input_required',
      requestState: 'x',
    });
  });

  it('a server/discover answer naming 2026-07-28 is proof too; the probe answer itself is never changed', () => {
    const bridge = new ResultTypeBridge();
    bridge.sent(modernRequest(1, 'server/discover'));
    expect(resultOf(bridge.received(answer(1, { supportedVersions: ['2026-07-28'], capabilities: {} })))).toEqual({
      supportedVersions: ['2026-07-28'],
      capabilities: {},
    });
    bridge.sent(modernRequest(2, 'tools/list'));
    expect(resultOf(bridge.received(answer(2, { tools: [] })))).toEqual({ tools: [], resultType: 'complete' });
  });

  it('never touches legacy requests, errors, or answers to requests it did not see', () => {
    const bridge = new ResultTypeBridge();
    bridge.sent(modernRequest(1, 'tools/list'));
    bridge.received(answer(1, { resultType: 'complete', tools: [] }));
    bridge.sent({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'x' } });
    expect(resultOf(bridge.received(answer(2, { content: [] })))).toEqual({ content: [] });
    expect(resultOf(bridge.received(answer(99, { content: [] })))).toEqual({ content: [] });
    const error = { jsonrpc: '2.0', id: 3, error: { code: -32601, message: 'nope' } } as JSONRPCMessage;
    bridge.sent(modernRequest(3, 'tools/call'));
    expect(bridge.received(error)).toBe(error);
  });
});
