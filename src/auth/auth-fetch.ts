// The fetch a remote transport uses: adds the headersHelper's headers and the OAuth access token (Bearer,
// or DPoP with a fresh proof per request and one retry on use_dpop_nonce), and answers a 401 (helper
// re-run, refresh or sign-in) and a 403 insufficient_scope (step-up, bounded).
import { dirname, isAbsolute } from 'node:path';
import { extractWWWAuthenticateParams, isDpopNonceChallenge, withDpop, type FetchLike } from '@modelcontextprotocol/client';
import type { ResolvedRemoteServer } from '../config/schema.js';
import { isDpopToken } from './dpop.js';
import { runHeadersHelper } from './headers-helper.js';
import { OAuthSession, type AuthPolicy } from './oauth-session.js';
import { AuthStore } from './store.js';

/** Step-ups (new sign-ins for more scope) one connection may make; the spec asks clients to bound them. */
export const MAX_STEP_UPS = 2;

export interface RemoteAuth {
  fetch: FetchLike;
  /** The OAuth side, when this server may use OAuth (not when its headers already carry Authorization). */
  oauth: OAuthSession | undefined;
  /** While connecting, a browser step is not started inside a request (the connect timeout would cut it). */
  setPhase(phase: 'connect' | 'session'): void;
}

/** Whether headers already carry Authorization (then OAuth stays out of the way). */
export const hasAuthorization = (headers: Record<string, string>): boolean =>
  Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');

export function createRemoteAuth(
  entry: ResolvedRemoteServer,
  env: NodeJS.ProcessEnv,
  policy: AuthPolicy,
  base: FetchLike = fetch,
): RemoteAuth {
  let helperHeaders: Record<string, string> | undefined;
  let phase: 'connect' | 'session' = 'connect';
  let stepUps = 0;
  // `./get-token.sh` means next to the config file that names it, wherever mcpsh was started.
  const helperCwd = isAbsolute(entry.source) ? dirname(entry.source) : undefined;
  const oauth =
    entry.oauth !== false && !hasAuthorization(entry.headers)
      ? new OAuthSession(entry.name, entry.url, entry.oauth, new AuthStore(env), base, env, {
          forceSignIn: policy.forceSignIn === true,
          cwd: helperCwd,
        })
      : undefined;

  const helper = async (fresh: boolean): Promise<Record<string, string>> => {
    if (!entry.headersHelper) return {};
    if (!helperHeaders || fresh)
      helperHeaders = await runHeadersHelper({
        server: entry.name,
        command: entry.headersHelper,
        env,
        ...(helperCwd ? { cwd: helperCwd } : {}),
      });
    return helperHeaders;
  };
  const useOAuth = (): boolean => oauth !== undefined && !hasAuthorization(helperHeaders ?? {});
  const interactiveNow = (): boolean => policy.interactive && phase === 'session';

  const send = async (url: string | URL, init: RequestInit | undefined, freshHelper: boolean): Promise<Response> => {
    const headers = new Headers(init?.headers);
    // The helper's headers win over the config's `headers` (which the transport already put in).
    for (const [name, value] of Object.entries(await helper(freshHelper))) headers.set(name, value);
    if (useOAuth() && oauth) {
      const token = await oauth.accessToken();
      const session = token && isDpopToken(oauth.storedTokens()?.token_type) ? oauth.dpopSession() : undefined;
      // A DPoP-bound token is useless as a bearer token: it goes with a proof of the key it is bound to.
      if (token && session) return withDpop(await session, () => token)(base)(url, { ...init, headers });
      if (token) headers.set('authorization', `Bearer ${token}`);
    }
    return base(url, { ...init, headers });
  };

  const authFetch: FetchLike = async (url, init) => {
    let response = await send(url, init, false);
    // withDpop already retried a use_dpop_nonce once; a second one is the server's problem, not a sign-in.
    if (response.status === 401 && !isDpopNonceChallenge(response)) {
      if (entry.headersHelper) {
        await response.body?.cancel();
        response = await send(url, init, true);
      }
      if (response.status === 401 && useOAuth() && oauth) {
        const params = extractWWWAuthenticateParams(response);
        await response.body?.cancel();
        await oauth.authorize({ scope: params.scope, resourceMetadataUrl: params.resourceMetadataUrl }, interactiveNow(), policy);
        response = await send(url, init, false);
      }
    }
    if (response.status === 403 && useOAuth() && oauth) {
      const params = extractWWWAuthenticateParams(response);
      if (params.error === 'insufficient_scope' && stepUps < MAX_STEP_UPS) {
        stepUps++;
        await response.body?.cancel();
        await oauth.authorize(
          { scope: params.scope, resourceMetadataUrl: params.resourceMetadataUrl, insufficientScope: true },
          interactiveNow(),
          policy,
        );
        response = await send(url, init, false);
      }
    }
    return response;
  };

  return {
    fetch: authFetch,
    oauth,
    setPhase: (next) => {
      phase = next;
    },
  };
}
