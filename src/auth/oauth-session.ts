// OAuth for one remote server over the SDK's auth(): stored tokens (refreshed before they expire),
// client credentials, and the browser sign-in (loopback listener, state checked, code exchanged).
import { randomBytes } from 'node:crypto';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ResolvedOAuth } from '../config/schema.js';
import { AppError, errorMessage } from '../errors.js';
import { checkSignInUrl, chooseOpener, launchBrowser } from './browser.js';
import { startLoopbackListener, type LoopbackListener } from './loopback.js';
import { StoreOAuthProvider } from './provider.js';
import { requestedScope } from './scopes.js';
import { isExpired, type AuthStore, type StoredTokens } from './store.js';

export const DEFAULT_CALLBACK_TIMEOUT_MS = 300_000;

/** Who may open a browser, and how (decided per command: see docs/auth.md). */
export interface AuthPolicy {
  interactive: boolean;
  /** The config's `browser` command. */
  browser?: string | undefined;
  noBrowser?: boolean;
  /** Where "open this URL" goes (stderr, or the chat's notice). */
  notify(message: string): void;
  callbackTimeoutMs?: number;
  signal?: AbortSignal;
  /**
   * `auth login`: a new browser sign-in even when tokens are stored. The stored tokens are neither sent
   * nor refreshed until this run has signed in, and stay on disk until a sign-in replaces them.
   */
  forceSignIn?: boolean;
}

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
      hint: `or pass --interactive-auth to sign in from this command; in CI use stored tokens, a headersHelper or oauth.grantType "client_credentials" (docs/auth.md)`,
    });
  }
}

export class OAuthSession {
  /** Runs of authorizeOnce in flight, by what they were asked to do (see authorize). */
  private readonly pending = new Map<string, Promise<void>>();
  /** False in a forced sign-in (`auth login`) until it succeeds: stored tokens are then not used. */
  private useStored: boolean;

  constructor(
    readonly server: string,
    readonly url: string,
    readonly oauth: ResolvedOAuth,
    readonly store: AuthStore,
    private readonly fetchFn: FetchLike,
    private readonly env: NodeJS.ProcessEnv,
    options: { forceSignIn?: boolean } = {},
  ) {
    this.useStored = options.forceSignIn !== true;
  }

  get clientCredentials(): boolean {
    return this.oauth.grantType === 'client_credentials';
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
      if (!this.clientCredentials) return undefined;
      await this.authorize({}, false);
      return this.storedTokens()?.access_token;
    }
    if (isExpired(tokens) && (tokens.refresh_token || this.clientCredentials)) {
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
    if (!interactive && !this.clientCredentials && (stepUp || !stored?.refresh_token)) throw needed;
    if (!interactive || this.clientCredentials) {
      const provider = this.provider(async () => Promise.reject(needed), this.useStored ? {} : { ignoreStoredTokens: true });
      await this.runAuth(provider, challenge, scope);
    } else {
      if (!policy) throw needed;
      await this.browserSignIn(challenge, scope, policy);
    }
    this.useStored = true;
  }

  private async browserSignIn(challenge: Challenge, scope: string | undefined, policy: AuthPolicy): Promise<void> {
    const listener = await this.listen();
    const state = randomBytes(24).toString('base64url');
    try {
      const provider = this.provider(async (url) => {
        checkSignInUrl(this.server, url);
        // Listening before the browser opens, so a fast redirect is not missed.
        const waiting = listener.waitForCode(state, policy.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS, policy.signal);
        await this.showUrl(url, policy).catch((err: unknown) => {
          void waiting.catch(() => undefined);
          throw err;
        });
        return waiting;
      }, { redirectUrl: listener.redirectUrl, state, ignoreStoredTokens: true });
      const first = await this.runAuth(provider, challenge, scope);
      if (first === 'AUTHORIZED') return;
      if (!provider.code) throw new AppError('SERVER_UNAVAILABLE', `sign-in to server ${this.server} did not return an authorization code`);
      await this.runAuth(provider, challenge, scope, provider.code);
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

  private provider(onRedirect: (url: URL) => Promise<string>, extra: { redirectUrl?: string; state?: string; ignoreStoredTokens?: boolean } = {}): StoreOAuthProvider {
    return new StoreOAuthProvider({ server: this.server, url: this.url, oauth: this.oauth, store: this.store, onRedirect, ...extra });
  }

  private async runAuth(provider: StoreOAuthProvider, challenge: Challenge, scope: string | undefined, authorizationCode?: string): Promise<'AUTHORIZED' | 'REDIRECT'> {
    try {
      return await auth(provider, {
        serverUrl: this.url,
        ...(scope ? { scope } : {}),
        ...(challenge.resourceMetadataUrl ? { resourceMetadataUrl: challenge.resourceMetadataUrl } : {}),
        ...(authorizationCode ? { authorizationCode } : {}),
        fetchFn: this.fetchFn,
      });
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('SERVER_UNAVAILABLE', `OAuth for server ${this.server} failed: ${describeOAuthError(err)}`, {
        hint: `check the server URL; \`mcpsh auth login ${this.server}\` signs in again; details in docs/auth.md`,
        cause: err,
      });
    }
  }
}

/** The SDK's OAuth errors in words: which step failed and what the server said. */
function describeOAuthError(err: unknown): string {
  const message = errorMessage(err);
  if (/does not match expected/.test(message)) return `the protected resource metadata names a different resource (${message})`;
  if (/does not support dynamic client registration/.test(message)) {
    return 'the authorization server has no dynamic client registration; set oauth.clientId (and clientSecret) or oauth.clientMetadataUrl';
  }
  const code = (err as { errorCode?: unknown }).errorCode;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
