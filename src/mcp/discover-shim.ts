// Tolerance for the era probe over HTTP: servers of the 2025 era answer an unknown `server/discover` in odd
// ways (an SSE stream that closes empty, 202, an error with a null or foreign id, a non-JSON 2xx body).
// Each becomes a plain, correlated "method not found", which the SDK reads as "legacy" at once instead of
// timing out or failing. 4xx, 401/403, 5xx and network errors pass untouched: they are not era evidence.
import type { FetchLike } from './types.js';

const PROBE_METHOD = 'server/discover';

/** Wraps a fetch so only the probe's answer is normalised; every other request goes through as is. */
export function tolerateDiscoverReplies(fetch: FetchLike): FetchLike {
  return async (input, init) => {
    const id = probeIdOf(init?.body);
    const response = await fetch(input, init);
    if (id === undefined || response.status >= 300) return response;
    const type = response.headers.get('content-type') ?? '';
    if (response.status === 202 || response.status === 204 || !response.body)
      return methodNotFound(id, `HTTP ${response.status} with no answer`);
    if (type.includes('text/event-stream')) {
      const found = await findInEventStream(response, id);
      return found ?? methodNotFound(id, 'an event stream with no answer to it');
    }
    const text = await response.text();
    const message = parseJson(text);
    if (isAnswerTo(message, id))
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    return methodNotFound(id, message === undefined ? 'a body that is not JSON' : 'an answer that does not carry its id');
  };
}

function probeIdOf(body: unknown): string | number | undefined {
  if (typeof body !== 'string' || !body.includes(PROBE_METHOD)) return undefined;
  const message = parseJson(body) as { method?: unknown; id?: unknown } | undefined;
  if (message?.method !== PROBE_METHOD) return undefined;
  return typeof message.id === 'string' || typeof message.id === 'number' ? message.id : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isAnswerTo(message: unknown, id: string | number): boolean {
  const m = message as { id?: unknown; result?: unknown; error?: unknown } | undefined;
  return m !== undefined && m !== null && m.id === id && (m.result !== undefined || m.error !== undefined);
}

/** Reads SSE events until one answers `id` (then stops reading); undefined when the stream ends without it. */
async function findInEventStream(response: Response, id: string | number): Promise<Response | undefined> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return undefined;
      buffer += value;
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        const message = parseJson(data);
        if (isAnswerTo(message, id)) return new Response(data, { status: 200, headers: { 'content-type': 'application/json' } });
      }
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

function methodNotFound(id: string | number, what: string): Response {
  const body = {
    jsonrpc: '2.0',
    id,
    error: { code: -32601, message: `Method not found (the server answered ${PROBE_METHOD} with ${what})` },
  };
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}
