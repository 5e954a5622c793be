// Opening a session with a remote server (Streamable HTTP, SSE, or HTTP with SSE fallback), with its
// OAuth sign-in loop. Imported by open-session.ts only when an entry is remote, so a stdio-only run never
// loads the HTTP transports' wiring, the OAuth client or jose.
import type { ResolvedRemoteServer } from '../config/schema.js';
import { createRemoteAuth, type RemoteAuth } from '../auth/auth-fetch.js';
import { authPolicyFor } from '../auth/context.js';
import { SignInRequiredError } from '../auth/oauth-session.js';
import { probeCause } from './era.js';
import { openWith } from './session-wiring.js';
import type { OpenedSession, OpenOptions, SessionHooks } from './session-types.js';
import { createRemoteTransport, shouldFallBackToSse } from './remote-transport.js';

/** Browser sign-ins one connect may start (a first one, then one step-up) before it gives up. */
const MAX_SIGN_INS_PER_CONNECT = 2;

export async function openRemoteSession(
  entry: ResolvedRemoteServer,
  options: OpenOptions,
  hooks: SessionHooks,
  signal: AbortSignal,
): Promise<OpenedSession> {
  const policy = authPolicyFor(options.env);
  const remoteAuth = createRemoteAuth(entry, options.env, policy);
  for (let signIns = 0; ; signIns++) {
    try {
      return await openRemote(entry, remoteAuth, options, hooks, signal);
    } catch (err) {
      // Signing in inside the initialize request would race the connect timeout: do it here, with that
      // timeout paused (the browser step has its own bound, MCPSH_AUTH_TIMEOUT), then reconnect.
      // A sign-in needed during the era probe comes out wrapped by the SDK.
      const cause = probeCause(err);
      if (
        !(cause instanceof SignInRequiredError) ||
        !policy.interactive ||
        !remoteAuth.oauth ||
        signIns >= MAX_SIGN_INS_PER_CONNECT ||
        signal.aborted
      )
        throw err;
      const resume = hooks.pauseConnectTimeout?.();
      try {
        await remoteAuth.oauth.authorize(cause.challenge, true, { ...policy, signal });
      } finally {
        resume?.();
      }
    }
  }
}

async function openRemote(
  entry: ResolvedRemoteServer,
  remoteAuth: RemoteAuth,
  options: OpenOptions,
  hooks: SessionHooks,
  signal: AbortSignal,
): Promise<OpenedSession> {
  remoteAuth.setPhase('connect');
  if (entry.transport === 'sse')
    return openWith(createRemoteTransport(entry, 'sse', remoteAuth), 'sse', options, hooks, signal, remoteAuth);
  const http = createRemoteTransport(entry, 'http', remoteAuth);
  try {
    return await openWith(http, 'http', options, hooks, signal, remoteAuth);
  } catch (err) {
    if (entry.transport !== 'auto' || !shouldFallBackToSse(probeCause(err)) || signal.aborted) throw err;
    await http.close().catch(() => undefined);
    return openWith(createRemoteTransport(entry, 'sse', remoteAuth), 'sse', options, hooks, signal, remoteAuth);
  }
}
