// The OAuth redirect listener: a one-shot HTTP server on 127.0.0.1 that waits (bounded) for the
// authorization server to send the browser back with a code. Only the expected path and state count.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.js';

export const CALLBACK_PATH = '/callback';

export interface LoopbackListener {
  redirectUrl: string;
  /** Resolves with the authorization code once a request with the right path and state arrives. */
  waitForCode(state: string, timeoutMs: number, signal?: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

interface Waiter {
  state: string;
  resolve(code: string): void;
  reject(err: Error): void;
}

export async function startLoopbackListener(server: string, port: number): Promise<LoopbackListener> {
  let waiter: Waiter | undefined;
  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    // A request without our state (a stale tab, another site) is refused and the wait goes on.
    if (!waiter || url.searchParams.get('state') !== waiter.state) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('unexpected sign-in response (state does not match); start again from mcpsh\n');
      return;
    }
    const current = waiter;
    waiter = undefined;
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error || !code) {
      const description = url.searchParams.get('error_description');
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`sign-in failed: ${error ?? 'no code'}\n`);
      current.reject(
        new AppError('SERVER_UNAVAILABLE', `sign-in to server ${server} failed: the authorization server answered ${error ?? 'without a code'}${description ? ` (${description.slice(0, 200)})` : ''}`, {
          hint: `try again with \`mcpsh auth login ${server}\``,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>mcpsh</title><p>Signed in to ${escapeHtml(server)}. You can close this tab and return to the terminal.</p>\n`);
    current.resolve(code);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new AppError('CONFIG', `the OAuth redirect port ${port} for server ${server} is already in use on 127.0.0.1`, {
            hint: `stop what listens there, or change "oauth.redirectPort" for ${server} (0 picks a free port, if the authorization server allows any loopback port)`,
          }),
        );
      } else reject(err);
    });
    http.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (http.address() as AddressInfo).port;
  return {
    redirectUrl: `http://127.0.0.1:${actualPort}${CALLBACK_PATH}`,
    waitForCode(state, timeoutMs, signal) {
      return new Promise<string>((resolve, reject) => {
        // 'abort' never fires for a signal that is already aborted: look first.
        if (signal?.aborted) {
          reject(cancelled(server));
          return;
        }
        const done = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        const timer = setTimeout(() => {
          waiter = undefined;
          done();
          reject(
            new AppError('TIMEOUT', `sign-in to server ${server} timed out after ${Math.round(timeoutMs / 1000)}s waiting for the browser to come back`, {
              hint: `run \`mcpsh auth login ${server}\` again and finish signing in in the browser (or open the printed URL by hand)`,
            }),
          );
        }, timeoutMs);
        const onAbort = (): void => {
          waiter = undefined;
          done();
          reject(cancelled(server));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiter = {
          state,
          resolve: (code) => {
            done();
            resolve(code);
          },
          reject: (err) => {
            done();
            reject(err);
          },
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        // A wait still going ends now (and its timer with it) rather than when its time runs out.
        const pending = waiter;
        waiter = undefined;
        pending?.reject(cancelled(server));
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

const cancelled = (server: string): AppError => new AppError('CANCELLED', `sign-in to server ${server} was cancelled`);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
