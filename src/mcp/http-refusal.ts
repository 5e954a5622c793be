// Remembers why a remote server last refused a request (401/403): its own words (WWW-Authenticate
// error_description or the body, bounded and terminal-safe) and whether any credentials were sent.
import type { FetchLike } from '@modelcontextprotocol/client';
import { terminalSafe } from '../output/safe-text.js';
import type { Transport } from './types.js';

export interface Refusal {
  status: number;
  /** The server's reason, one line, at most REASON_CHARS; undefined when it gave none. */
  reason: string | undefined;
  /** Whether the request carried credentials (an Authorization header, a headersHelper's headers, OAuth tokens). */
  credentials: boolean;
}

const REASON_CHARS = 200;
const BODY_BYTES = 4096;
/** A refusal body that does not end at once is not waited for (the reason then comes from the header only). */
const BODY_WAIT_MS = 2000;

const slots = new WeakMap<Transport, { last?: Refusal | undefined }>();

/** The last refusal this transport met, if the last answer was one. */
export function refusalOf(transport: Transport | undefined): Refusal | undefined {
  return transport ? slots.get(transport)?.last : undefined;
}

/** Wraps a transport's fetch so its 401/403 answers are remembered; `attach` ties the record to the transport. */
export function recordRefusals(inner: FetchLike, credentials: () => boolean): { fetch: FetchLike; attach: (t: Transport) => void } {
  const slot: { last?: Refusal | undefined } = {};
  const recording: FetchLike = async (url, init) => {
    const response = await inner(url, init);
    if (response.status === 401 || response.status === 403) {
      slot.last = { status: response.status, reason: await reasonOf(response), credentials: credentials() };
    } else if (response.ok) slot.last = undefined;
    return response;
  };
  return { fetch: recording, attach: (t) => slots.set(t, slot) };
}

/** error_description from WWW-Authenticate, else the body's message (JSON fields or text without markup). */
async function reasonOf(response: Response): Promise<string | undefined> {
  const header = /error_description="([^"]*)"/i.exec(response.headers.get('www-authenticate') ?? '')?.[1];
  if (header) return oneLine(header);
  const body = await boundedText(response.clone());
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>;
      const inner = o.error && typeof o.error === 'object' ? (o.error as Record<string, unknown>) : {};
      for (const v of [o.error_description, o.message, inner.message, o.error, o.detail])
        if (typeof v === 'string' && v.trim()) return oneLine(v);
    }
  } catch {
    // not JSON: plain text or HTML
  }
  return oneLine(body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' '));
}

async function boundedText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), BODY_WAIT_MS)));
  try {
    while (size < BODY_BYTES) {
      const next = await Promise.race([reader.read(), giveUp]);
      if (next === 'timeout' || next.done) break;
      const bytes: Uint8Array = next.value as Uint8Array;
      chunks.push(bytes);
      size += bytes.byteLength;
    }
  } catch {
    // a body that breaks off: keep what came
  } finally {
    clearTimeout(timer);
    void reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, BODY_BYTES));
}

function oneLine(text: string): string | undefined {
  const flat = terminalSafe(text).replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  return flat.length > REASON_CHARS ? `${flat.slice(0, REASON_CHARS - 1)}…` : flat;
}
