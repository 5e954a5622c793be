// Modern results that leave out `resultType`. The 2026-07-28 revision says an absent resultType means
// "complete" (SEP-2322), but the SDK 2.4.0 refuses such a result ("missing required resultType"), and mcpsh itself
// reads that refusal, on the first request of a connect made on a remembered modern verdict, as "this server is
// legacy now: probe again" (era.ts). Both hold with one rule: once this session has seen the server answer in
// the modern shape (a result with a resultType, or a server/discover naming a modern revision), an answer to a
// modern request that lacks resultType is completed with "complete" before the SDK reads it. Before that proof
// the answer goes through untouched, so a stale verdict is still noticed.
import { PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/client';
import type { JSONRPCMessage, Transport } from './types.js';
import { MODERN_REVISION } from './era.js';
import { wrapInbound } from './inbound-hook.js';

/** Requests awaiting an answer are few; this only bounds a server that never answers. */
const MAX_TRACKED = 10_000;

type Loose = Record<string, unknown>;
type Id = string | number;

/** The pure decision for one inbound message (testable without a transport). */
export class ResultTypeBridge {
  /** Outgoing requests by id: whether they carried the modern envelope, and their method. */
  private readonly pending = new Map<Id, { modern: boolean; method: string }>();
  private proven = false;

  /** True once the server answered in the modern shape in this session. */
  get modernProven(): boolean {
    return this.proven;
  }

  sent(message: JSONRPCMessage): void {
    const m = message as Loose;
    if (typeof m.method !== 'string' || (typeof m.id !== 'string' && typeof m.id !== 'number')) return;
    const meta = (m.params as Loose | undefined)?._meta as Loose | undefined;
    if (this.pending.size >= MAX_TRACKED) this.pending.clear();
    this.pending.set(m.id, { modern: meta !== undefined && PROTOCOL_VERSION_META_KEY in meta, method: m.method });
  }

  received(message: JSONRPCMessage): JSONRPCMessage {
    const m = message as Loose;
    if (typeof m.method === 'string' || (typeof m.id !== 'string' && typeof m.id !== 'number')) return message;
    const request = this.pending.get(m.id);
    this.pending.delete(m.id);
    const result = m.result;
    if (!request || typeof result !== 'object' || result === null || Array.isArray(result)) return message;
    const r = result as Loose;
    if (typeof r.resultType === 'string') {
      this.proven = true;
      return message;
    }
    if (request.method === 'server/discover') {
      // The probe's answer is the SDK's to judge; one that names a modern revision is proof enough.
      if (Array.isArray(r.supportedVersions) && r.supportedVersions.some((v) => typeof v === 'string' && v >= MODERN_REVISION))
        this.proven = true;
      return message;
    }
    if (!request.modern || !this.proven || r.resultType !== undefined) return message;
    return { ...m, result: { ...r, resultType: 'complete' } } as unknown as JSONRPCMessage;
  }
}

/** Installs the bridge on a transport, before the Client attaches (it chains to wrappers already there). */
export function bridgeMissingResultType(transport: Transport): ResultTypeBridge {
  const bridge = new ResultTypeBridge();
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    bridge.sent(message);
    return send(message, options);
  };
  wrapInbound(transport, (next) => (message, extra) => next(bridge.received(message), extra));
  return bridge;
}
