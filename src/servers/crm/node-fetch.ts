// The bridge between node:http and the SDK's web-standard (fetch) serving: a Request for a node request whose
// body the caller has already read, and a Response streamed back into a ServerResponse with backpressure.
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A body-less Request carrying the node request's method, path and headers. The caller hands the parsed body to
 * the SDK separately (parsedBody). `signal` should abort when the client goes away, so the SDK can stop work.
 */
export function toWebRequest(req: IncomingMessage, pathAndQuery: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  // The origin is fixed: the Host header is the client's word, and nothing here needs it in the URL.
  return new Request(new URL(pathAndQuery, 'http://localhost'), { method: req.method ?? 'GET', headers, signal });
}

/** An AbortSignal that fires when the response's connection closes before the response was finished. */
export function abortOnClientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** Writes status, headers and body; an SSE body is relayed as it is produced and cancelled when the client leaves. */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (!response.body) {
    res.end();
    return;
  }
  // Headers first: an event stream may stay quiet for a long time before its first event.
  res.flushHeaders();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  res.once('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch {
    // The stream failed after the status went out: all that is left is to cut the connection.
    res.destroy();
  } finally {
    res.off('close', cancel);
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.once('drain', done).once('close', done);
  });
}
