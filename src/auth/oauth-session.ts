// OAuth for one remote server over the SDK's auth(): stored tokens (refreshed before they expire),
// client credentials, and the browser sign-in (loopback listener, state checked, code exchanged).
import { randomBytes } from 'node:crypto';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ResolvedOAuth } from '../config/schema.js';
import { AppError, errorMessage } from '../errors.js';
import { browserCommandLine, chooseOpener, launchBrowser } from './browser.js';
import { startLoopbackListener } from './loopback.js';
import { StoreOAuthProvider } from './provider.js';
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
}

export interface Challenge {
  scope?: string | undefined;
  resourceMetadataUrl?: URL | undefined;
}

/** The server needs a (new) sign-in, and this run may not open a browser. */
export class SignInRequiredError extends AppError {
  constructor(
    readonly server: string,
    readonly challenge: Challenge,
    stepUp = false,
  ) {
    const what = stepUp
      ? `answered HTTP 403 insufficient_scope and needs a new sign-in for scope "${challenge.scope ?? ''}"`
      : 'answered HTTP 401 Unauthorized and needs sign-in (OAuth)';
    super('SERVER_UNAVAILABLE', `server ${server} ${what}: run \`mcpsh auth login ${server}\``, {
      hint: `or pass --interactive-auth to sign in from this command; in CI use stored tokens, a headersHelper or oauth.grantType "client_credentials" (docs/auth.md)`,
    });
  }
}

export class OAuthSession {
  private pending: Promise<void> | undefined;

  constructor(
    readonly server: string,
    readonly url: string,
    readonly oauth: ResolvedOAuth,
    readonly store: AuthStore,
    private readonly fetchFn: FetchLike,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get clientCredentials(): boolean {
    return this.oauth.grantType === 'client_credentials';
  }

  /** The stored tokens of the current issuer, if any. */
  storedTokens(): StoredTokens | undefined {
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
      await this.authorize({ scope: tokens.scope }, false).catch(() => undefined);
      return this.storedTokens()?.access_token ?? tokens.access_token;
    }
    return tokens.access_token;
  }

  /**
   * Gets new tokens: a refresh or client-credentials request when that is enough, else the browser step
   * (only when `interactive`; otherwise SignInRequiredError, before any registration is made).
   */
  async authorize(challenge: Challenge, interactive: boolean, policy?: AuthPolicy, stepUp = false): Promise<void> {
    // Requests in parallel (a POST and the SSE GET) share one refresh or sign-in: a refresh token is
    // single-use at many servers, and two browser tabs would confuse anyone.
    if (this.pending) return this.pending;
    this.pending = this.authorizeOnce(challenge, interactive, policy, stepUp).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async authorizeOnce(challenge: Challenge, interactive: boolean, policy: AuthPolicy | undefined, stepUp: boolean): Promise<void> {
    const stored = this.storedTokens();
    if (!interactive && !this.clientCredentials && (stepUp || !stored?.refresh_token)) throw new SignInRequiredError(this.server, challenge, stepUp);
    const scope = challenge.scope ?? this.oauth.scopes?.join(' ');
    if (!interactive || this.clientCredentials) {
      const provider = this.provider(async () => Promise.reject(new SignInRequiredError(this.server, challenge, stepUp)));
      await this.runAuth(provider, challenge, scope);
      return;
    }
    if (!policy) throw new SignInRequiredError(this.server, challenge, stepUp);
    await this.browserSignIn(challenge, scope, policy);
  }

  private async browserSignIn(challenge: Challenge, scope: string | undefined, policy: AuthPolicy): Promise<void> {
    const listener = await startLoopbackListener(this.server, this.oauth.redirectPort);
    const state = randomBytes(24).toString('base64url');
    try {
      const provider = this.provider(async (url) => {
        const waiting = listener.waitForCode(state, policy.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS, policy.signal);
        await this.showUrl(url, policy);
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

  private async showUrl(url: URL, policy: AuthPolicy): Promise<void> {
    const opener = chooseOpener({ browser: policy.browser, noBrowser: policy.noBrowser === true, env: this.env });
    if (opener.kind === 'print') {
      policy.notify(`To sign in to ${this.server}, open this URL in a browser:\n  ${url.href}`);
      return;
    }
    policy.notify(`Opening the browser to sign in to ${this.server}. If it does not open, visit:\n  ${url.href}`);
    const problem = await launchBrowser(opener.command, url.href, this.env);
    if (problem) policy.notify(`could not open the browser (${browserCommandLine(opener.command, '<url>')}: ${problem}); open the URL above by hand`);
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
