// The OAuth redirect listener: a one-shot HTTP server on 127.0.0.1 that waits (bounded) for the
// authorization server to send the browser back. Only the expected path and state count; the response
// (code or error, with its RFC 9207 `iss`) is handed over unjudged: the caller checks `iss` first.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.js';

export const CALLBACK_PATH = '/callback';

/** What came back on the redirect: a code, or an error; `iss` as sent (RFC 9207), still unchecked. */
export interface AuthorizationResponse {
  code?: string;
  iss?: string;
  /** The `error` and `error_description` parameters: not to be shown until `iss` has been checked. */
  error?: string;
  errorDescription?: string;
}

export interface LoopbackListener {
  redirectUrl: string;
  /** Resolves with the authorization response once a request with the right path and state arrives. */
  waitForCode(state: string, timeoutMs: number, signal?: AbortSignal): Promise<AuthorizationResponse>;
  close(): Promise<void>;
}

interface Waiter {
  state: string;
  resolve(response: AuthorizationResponse): void;
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
      res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end('unexpected sign-in response (state does not match); start again from mcpsh\n');
      return;
    }
    const current = waiter;
    waiter = undefined;
    const param = (name: string): string | undefined => url.searchParams.get(name) ?? undefined;
    const response: AuthorizationResponse = {};
    for (const [key, name] of [
      ['code', 'code'],
      ['iss', 'iss'],
      ['error', 'error'],
      ['errorDescription', 'error_description'],
    ] as const) {
      const value = param(name);
      if (value !== undefined) response[key] = value;
    }
    if (response.error !== undefined || response.code === undefined) {
      // Nothing the authorization server said is echoed: this page may be part of a mix-up attack.
      res.writeHead(400, { 'content-type': 'text/plain' }).end('sign-in did not succeed; see the terminal\n');
    } else {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><title>mcpsh</title><p>Signed in to ${escapeHtml(server)}. You can close this tab and return to the terminal.</p>\n`,
        );
    }
    current.resolve(response);
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
      return new Promise<AuthorizationResponse>((resolve, reject) => {
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
            new AppError(
              'TIMEOUT',
              `sign-in to server ${server} timed out after ${Math.round(timeoutMs / 1000)}s waiting for the browser to come back`,
              {
                hint: `run \`mcpsh auth login ${server}\` again and finish signing in in the browser (or open the printed URL by hand)`,
              },
            ),
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
          resolve: (response) => {
            done();
            resolve(response);
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
