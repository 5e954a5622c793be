// OAuth for one remote server over the SDK's auth(): stored tokens (refreshed before they expire), the
// machine grants, and the browser sign-in (loopback listener, state and RFC 9207 iss checked, code exchanged).
import { randomBytes } from 'node:crypto';
import {
  auth,
  AuthorizationServerMismatchError,
  InsecureTokenEndpointError,
  isStrictScopeSuperset,
  IssuerMismatchError,
  OAuthError,
  RegistrationRejectedError,
  type DpopSession,
  type FetchLike,
} from '@modelcontextprotocol/client';
import type { ResolvedOAuth } from '../config/schema.js';
import { AppError, errorMessage } from '../errors.js';
import { checkSignInUrl, chooseOpener, launchBrowser } from './browser.js';
import { DpopKeys } from './dpop.js';
import { startLoopbackListener, type LoopbackListener } from './loopback.js';
import { isMachineGrant, runMachineGrant } from './machine-grant.js';
import { StoreOAuthProvider, type ProviderOptions } from './provider.js';
import { requestedScope } from './scopes.js';
import { isExpired, type AuthStore, type StoredTokens } from './store.js';
import { DEFAULT_CALLBACK_TIMEOUT_MS, type AuthPolicy } from './context.js';

export { DEFAULT_CALLBACK_TIMEOUT_MS, type AuthPolicy };

export interface Challenge {
  scope?: string | undefined;
  resourceMetadataUrl?: URL | undefined;
  /** The server answered 403 insufficient_scope: a step-up to more scope, not a first sign-in. */
  insufficientScope?: boolean;
}

/** The server needs a (new) sign-in, and this run may not open a browser. */
export class SignInRequiredError extends AppError {
  constructor(
    readonly server: string,
    readonly challenge: Challenge,
  ) {
    const what = challenge.insufficientScope
      ? `answered HTTP 403 insufficient_scope and needs a new sign-in for scope "${challenge.scope ?? ''}"`
      : 'answered HTTP 401 Unauthorized and needs sign-in (OAuth)';
    super('SERVER_UNAVAILABLE', `server ${server} ${what}: run \`mcpsh auth login ${server}\``, {
      hint: `or pass --interactive-auth to sign in from this command; in CI use stored tokens, a headersHelper or a machine grant (oauth.grantType "client_credentials", "jwt-bearer" or "enterprise": docs/auth.md)`,
    });
  }
}

export class OAuthSession {
  /** Runs of authorizeOnce in flight, by what they were asked to do (see authorize). */
  private readonly pending = new Map<string, Promise<void>>();
  /** False in a forced sign-in (`auth login`) until it succeeds: stored tokens are then not used. */
  private useStored: boolean;
  private readonly dpopKeys: DpopKeys;
  /** The directory of the config file that defines the server (credential files and commands start there). */
  private readonly cwd: string | undefined;

  constructor(
    readonly server: string,
    readonly url: string,
    readonly oauth: ResolvedOAuth,
    readonly store: AuthStore,
    private readonly fetchFn: FetchLike,
    private readonly env: NodeJS.ProcessEnv,
    options: { forceSignIn?: boolean; cwd?: string | undefined } = {},
  ) {
    this.useStored = options.forceSignIn !== true;
    this.dpopKeys = new DpopKeys(store, server, url);
    this.cwd = options.cwd;
  }

  /** A grant with no browser step: tokens are fetched whenever they are missing or expired. */
  get machineGrant(): boolean {
    return isMachineGrant(this.oauth.grantType);
  }

  /** The DPoP session of the current issuer (the one the stored tokens are bound to). */
  dpopSession(): Promise<DpopSession> | undefined {
    const issuer = this.useStored ? this.store.read(this.server, this.url)?.issuer : undefined;
    return issuer ? this.dpopKeys.sessionFor(issuer) : undefined;
  }

  /** The stored tokens of the current issuer, if any. */
  storedTokens(): StoredTokens | undefined {
    if (!this.useStored) return undefined;
    const record = this.store.read(this.server, this.url);
    return record?.issuer ? record.issuers[record.issuer]?.tokens : undefined;
  }

  /** An access token to send: stored, refreshed when it is (nearly) expired; client credentials fetched when missing. */
  async accessToken(): Promise<string | undefined> {
    const tokens = this.storedTokens();
    if (!tokens) {
      if (!this.machineGrant) return undefined;
      await this.authorize({}, false);
      return this.storedTokens()?.access_token;
    }
    if (isExpired(tokens) && (tokens.refresh_token || this.machineGrant)) {
      // A failed refresh is not fatal here: the server's 401 leads to authorize(), which says what to do.
      await this.authorize({}, false).catch(() => undefined);
      return this.storedTokens()?.access_token ?? tokens.access_token;
    }
    return tokens.access_token;
  }

  /**
   * Gets new tokens: a refresh or client-credentials request when that is enough, else the browser step
   * (only when `interactive`; otherwise SignInRequiredError, before any registration is made).
   *
   * Requests in parallel (a POST and the SSE GET) that ask for the same thing share one run: a refresh
   * token is single-use at many servers, and two browser tabs would confuse anyone. A request for
   * something else (a step-up while a refresh runs) waits for the runs in flight, then does its own, so
   * it neither gets an answer to another question nor races them to the token store.
   */
  authorize(challenge: Challenge, interactive: boolean, policy?: AuthPolicy): Promise<void> {
    const stepUp = challenge.insufficientScope === true;
    const kind = `${interactive ? 'interactive' : 'stored'}:${stepUp ? 'step-up' : 'sign-in'}`;
    const same = this.pending.get(kind);
    if (same) return same;
    const inFlight = [...this.pending.values()];
    const tokenBefore = this.storedTokens()?.access_token;
    const run = (async () => {
      await Promise.allSettled(inFlight);
      // A plain refresh is answered by any run that stored a new token meanwhile.
      const tokenNow = this.storedTokens()?.access_token;
      if (inFlight.length > 0 && !interactive && !stepUp && tokenNow !== undefined && tokenNow !== tokenBefore) return;
      await this.authorizeOnce(challenge, interactive, policy, stepUp);
    })().finally(() => {
      if (this.pending.get(kind) === run) this.pending.delete(kind);
    });
    this.pending.set(kind, run);
    return run;
  }

  private async authorizeOnce(challenge: Challenge, interactive: boolean, policy: AuthPolicy | undefined, stepUp: boolean): Promise<void> {
    const stored = this.storedTokens();
    const scope = requestedScope({ configured: this.oauth.scopes, challenged: challenge.scope, granted: stored?.scope, stepUp });
    const needed = new SignInRequiredError(this.server, { ...challenge, scope });
    if (!interactive && !this.machineGrant && (stepUp || !stored?.refresh_token)) throw needed;
    if (this.machineGrant) {
      const provider = this.provider(async () => Promise.reject(needed), { ignoreStoredTokens: true });
      await this.guard(() =>
        runMachineGrant(provider, {
          serverUrl: this.url,
          scope,
          resourceMetadataUrl: challenge.resourceMetadataUrl,
          fetchFn: this.fetchFn,
        }),
      );
    } else if (!interactive) {
      const provider = this.provider(async () => Promise.reject(needed), {
        ...(this.useStored ? {} : { ignoreStoredTokens: true }),
        refreshOnly: needed,
      });
      await this.runAuth(provider, challenge, scope, { stepUp, granted: stored?.scope });
    } else {
      if (!policy) throw needed;
      await this.browserSignIn(challenge, scope, policy, stored?.scope);
    }
    this.useStored = true;
  }

  private async browserSignIn(
    challenge: Challenge,
    scope: string | undefined,
    policy: AuthPolicy,
    granted: string | undefined,
  ): Promise<void> {
    const listener = await this.listen();
    const state = randomBytes(24).toString('base64url');
    try {
      const provider = this.provider(
        async (url) => {
          checkSignInUrl(this.server, url);
          // Listening before the browser opens, so a fast redirect is not missed.
          const waiting = listener.waitForCode(state, policy.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS, policy.signal);
          await this.showUrl(url, policy).catch((err: unknown) => {
            void waiting.catch(() => undefined);
            throw err;
          });
          return waiting;
        },
        { redirectUrl: listener.redirectUrl, state, ignoreStoredTokens: true },
      );
      const step = { stepUp: challenge.insufficientScope === true, granted };
      const first = await this.runAuth(provider, challenge, scope, step);
      if (first === 'AUTHORIZED') return;
      const code = provider.response?.code;
      if (!code) throw new AppError('SERVER_UNAVAILABLE', `sign-in to server ${this.server} did not return an authorization code`);
      // auth() checks `iss` against the authorization server's metadata before it redeems the code.
      await this.runAuth(provider, challenge, scope, { ...step, code, iss: provider.response?.iss });
    } finally {
      await listener.close();
    }
  }

  /**
   * The redirect listener. With the default port 0, the port of the stored dynamic registration is tried
   * first: its redirect URI then matches exactly, so the registration is reused instead of making a new
   * one per sign-in (reusing it on another port relies on RFC 8252 §7.3, which not every server follows).
   */
  private async listen(): Promise<LoopbackListener> {
    if (this.oauth.redirectPort !== 0) return startLoopbackListener(this.server, this.oauth.redirectPort);
    const previous = this.registeredPort();
    if (previous !== undefined) {
      const listener = await startLoopbackListener(this.server, previous).catch(() => undefined);
      if (listener) return listener;
    }
    return startLoopbackListener(this.server, 0);
  }

  private registeredPort(): number | undefined {
    const record = this.store.read(this.server, this.url);
    const entry = record?.issuer ? record.issuers[record.issuer] : undefined;
    if (entry?.clientSource !== 'dynamic' || !entry.redirectUri) return undefined;
    const match = /^http:\/\/127\.0\.0\.1:(\d+)\/callback$/.exec(entry.redirectUri);
    return match ? Number(match[1]) : undefined;
  }

  private async showUrl(url: URL, policy: AuthPolicy): Promise<void> {
    const opener = chooseOpener({ browser: policy.browser, noBrowser: policy.noBrowser === true, env: this.env });
    if (opener.kind === 'print') {
      policy.notify(`To sign in to ${this.server}, open this URL in a browser:\n  ${url.href}`);
      return;
    }
    policy.notify(`Opening the browser to sign in to ${this.server}. If it does not open, visit:\n  ${url.href}`);
    const problem = await launchBrowser(opener.command, url.href, this.env).catch((err: unknown) => errorMessage(err));
    if (problem) policy.notify(`could not open the browser (\`${opener.command}\`: ${problem}); open the URL above by hand`);
  }

  private provider(
    onRedirect: ProviderOptions['onRedirect'],
    extra: Pick<ProviderOptions, 'redirectUrl' | 'state' | 'ignoreStoredTokens' | 'refreshOnly'> = {},
  ): StoreOAuthProvider {
    return new StoreOAuthProvider({
      server: this.server,
      url: this.url,
      oauth: this.oauth,
      store: this.store,
      dpopKeys: this.dpopKeys,
      grant: { server: this.server, env: this.env, cwd: this.cwd, fetchFn: this.fetchFn },
      onRedirect,
      ...extra,
    });
  }

  private runAuth(
    provider: StoreOAuthProvider,
    challenge: Challenge,
    scope: string | undefined,
    step: AuthStep,
  ): Promise<'AUTHORIZED' | 'REDIRECT'> {
    return this.guard(() =>
      auth(provider, {
        serverUrl: this.url,
        ...(scope ? { scope } : {}),
        ...(challenge.resourceMetadataUrl ? { resourceMetadataUrl: challenge.resourceMetadataUrl } : {}),
        ...(step.code ? { authorizationCode: step.code } : {}),
        ...(step.code && step.iss !== undefined ? { iss: step.iss } : {}),
        // A refresh cannot widen a grant (RFC 6749 §6): a step-up to new scopes goes to the authorization endpoint.
        ...(step.stepUp && isStrictScopeSuperset(scope, step.granted) ? { forceReauthorization: true } : {}),
        fetchFn: this.fetchFn,
      }),
    );
  }

  /** Runs one OAuth step; the SDK's errors come out as an AppError that says which step failed. */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('SERVER_UNAVAILABLE', `OAuth for server ${this.server} failed: ${describeOAuthError(err)}`, {
        hint: `check the server URL; \`mcpsh auth login ${this.server}\` signs in again; details in docs/auth.md`,
        cause: err,
      });
    }
  }
}

interface AuthStep {
  /** A 403 insufficient_scope step-up, and the scope granted so far. */
  stepUp: boolean;
  granted: string | undefined;
  /** The authorization response of the browser step, when there is one to redeem. */
  code?: string;
  iss?: string | undefined;
}

/** The SDK's OAuth errors in words: which step failed and what the server said. */
function describeOAuthError(err: unknown): string {
  if (err instanceof IssuerMismatchError) {
    // On the authorization response, what came back is attacker-controlled (a mix-up): it is not shown.
    return err.kind === 'authorization_response'
      ? `the sign-in response did not come from the authorization server ${err.expected ?? '(unknown)'} (RFC 9207 "iss" check); the code was not redeemed`
      : `the authorization server metadata does not name the issuer it was fetched for (${err.expected ?? '(unknown)'}; RFC 8414 §3.3); nothing was sent to it`;
  }
  if (err instanceof AuthorizationServerMismatchError)
    return `the authorization server changed during sign-in (from ${err.recordedIssuer} to ${err.currentIssuer}); sign in again`;
  if (err instanceof InsecureTokenEndpointError)
    return `the token endpoint ${err.tokenEndpoint} is not https (only loopback may be http); mcpsh sends no credentials there`;
  if (err instanceof RegistrationRejectedError)
    return `the authorization server refused the client registration (HTTP ${err.status}); set oauth.clientId or oauth.clientMetadataUrl`;
  const message = errorMessage(err);
  if (err instanceof OAuthError && !message.includes(err.code)) return `${err.code}: ${message}`;
  if (/does not match expected/.test(message))
    return `the protected resource metadata names a different resource, so no token is asked for it (${message})`;
  if (/does not support dynamic client registration/.test(message)) {
    return 'the authorization server has no dynamic client registration; set oauth.clientId (and clientSecret) or oauth.clientMetadataUrl';
  }
  const code = (err as { errorCode?: unknown }).errorCode;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
