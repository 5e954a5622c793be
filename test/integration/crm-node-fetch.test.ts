// The CRM's node:http <-> fetch bridge, over a real HTTP server: requests keep method, path and headers; responses
// keep status and headers; an event stream is relayed as produced; a client that leaves cancels it.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { abortOnClientGone, sendWebResponse, toWebRequest } from '../../src/servers/crm/node-fetch.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<string> {
  server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('toWebRequest', () => {
  it('keeps method, path, query and headers, under a fixed origin whatever the Host header says', async () => {
    let seen: Request | undefined;
    const base = await serve((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      seen = toWebRequest(req, `${url.pathname}${url.search}`, abortOnClientGone(res));
      res.end();
    });
    await fetch(`${base}/mcp?x=1`, { method: 'DELETE', headers: { 'mcp-session-id': 'abc', accept: 'text/event-stream' } });
    expect(seen?.method).toBe('DELETE');
    expect(seen?.url).toBe('http://localhost/mcp?x=1');
    expect(seen?.headers.get('mcp-session-id')).toBe('abc');
    expect(seen?.headers.get('accept')).toBe('text/event-stream');
    expect(seen?.headers.get('host')).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(seen?.body).toBeNull();
  });
});

describe('sendWebResponse', () => {
  it('copies status and headers, several Set-Cookie values included', async () => {
    const base = await serve(async (_req, res) => {
      const headers = new Headers({ 'content-type': 'application/json', 'mcp-session-id': 's1', 'retry-after': '5' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      await sendWebResponse(res, new Response('{"ok":true}', { status: 503, headers }));
    });
    const response = await fetch(`${base}/mcp`);
    expect(response.status).toBe(503);
    expect(response.headers.get('mcp-session-id')).toBe('s1');
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('relays an event stream as it is produced, not when it ends', async () => {
    let push: ((text: string) => void) | undefined;
    let end: (() => void) | undefined;
    const base = await serve(async (_req, res) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) => controller.enqueue(new TextEncoder().encode(text));
          end = () => controller.close();
        },
      });
      push?.('event: message\ndata: 1\n\n');
      await sendWebResponse(res, new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
    });
    const response = await fetch(`${base}/mcp`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    // The first event arrives while the stream is still open (end has not been called).
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('event: message\ndata: 1\n\n');
    push?.('event: message\ndata: 2\n\n');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('event: message\ndata: 2\n\n');
    end?.();
    expect((await reader.read()).done).toBe(true);
  });

  it('cancels the stream and aborts the request signal when the client goes away', async () => {
    let cancelled: () => void = () => undefined;
    const wasCancelled = new Promise<void>((done) => (cancelled = done));
    let aborted: () => void = () => undefined;
    const wasAborted = new Promise<void>((done) => (aborted = done));
    let started: () => void = () => undefined;
    const streaming = new Promise<void>((done) => (started = done));
    const base = await serve(async (_req, res) => {
      abortOnClientGone(res).addEventListener('abort', () => aborted(), { once: true });
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(': open\n\n'));
        },
        cancel() {
          cancelled();
        },
      });
      started();
      await sendWebResponse(res, new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
    });
    const req = httpRequest(`${base}/mcp`, (res) => res.once('data', () => req.destroy()));
    req.on('error', () => undefined);
    req.end();
    await streaming;
    await Promise.all([wasCancelled, wasAborted]);
  });
});
