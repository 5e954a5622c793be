// mcpsh's OAuthClientProvider for the SDK's auth(): client identity from the config (pre-registered),
// a client ID metadata document or dynamic registration; tokens in the AuthStore; PKCE S256 enforced.
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { createPrivateKeyJwtAuth } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ResolvedOAuth } from '../config/schema.js';
import { AppError } from '../errors.js';
import { stampTokens, type AuthStore, type IssuerRecord, type ServerAuthRecord } from './store.js';

/** Used as redirect_uri only when no browser step can happen (refresh, or failing fast). */
const PLACEHOLDER_REDIRECT = 'http://127.0.0.1/callback';

export interface ProviderOptions {
  server: string;
  url: string;
  oauth: ResolvedOAuth;
  store: AuthStore;
  /** The loopback listener's URL when a browser step may happen. */
  redirectUrl?: string;
  /** Called with the authorization URL: returns the code (browser step) or throws (sign-in needed). */
  onRedirect(url: URL): Promise<string>;
  state?: string;
  /** A browser sign-in wants a new grant: stored tokens are not offered to auth() (it would refresh them). */
  ignoreStoredTokens?: boolean;
}

export class StoreOAuthProvider implements OAuthClientProvider {
  /** The authorization code from the browser step, once it came back. */
  code: string | undefined;
  private verifier: string | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  readonly addClientAuthentication: OAuthClientProvider['addClientAuthentication'];

  constructor(private readonly opts: ProviderOptions) {
    const { oauth } = opts;
    if (oauth.privateKey && oauth.clientId) {
      this.addClientAuthentication = createPrivateKeyJwtAuth({ issuer: oauth.clientId, subject: oauth.clientId, privateKey: oauth.privateKey, alg: oauth.signingAlgorithm ?? 'ES256' });
    }
  }

  get clientCredentials(): boolean {
    return this.opts.oauth.grantType === 'client_credentials';
  }

  get redirectUrl(): string | undefined {
    if (this.clientCredentials) return undefined;
    return this.opts.redirectUrl ?? this.issuerRecord()?.redirectUri ?? PLACEHOLDER_REDIRECT;
  }

  get clientMetadataUrl(): string | undefined {
    return this.opts.oauth.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const scope = this.opts.oauth.scopes?.join(' ');
    if (this.clientCredentials) {
      return { client_name: 'mcpsh', redirect_uris: [], grant_types: ['client_credentials'], ...(scope ? { scope } : {}) };
    }
    return {
      client_name: 'mcpsh',
      client_uri: 'https://github.com/modelcontextprotocol',
      redirect_uris: [this.redirectUrl ?? PLACEHOLDER_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...(scope ? { scope } : {}),
    };
  }

  state(): string {
    return this.opts.state ?? '';
  }

  /** The issuer discovery found (or, before discovery, the one the stored tokens came from). */
  get issuer(): string | undefined {
    return this.discovery?.authorizationServerUrl ?? this.record()?.issuer;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const { oauth } = this.opts;
    if (oauth.clientId) return { client_id: oauth.clientId, ...(oauth.clientSecret ? { client_secret: oauth.clientSecret } : {}) };
    const entry = this.issuerRecord();
    if (!entry?.client) return undefined;
    if (entry.clientSource === 'metadata-document' && entry.client.client_id !== oauth.clientMetadataUrl) return undefined;
    // A dynamic registration is bound to its redirect URI; a new listener port needs a new one.
    if (entry.clientSource === 'dynamic' && this.opts.redirectUrl && entry.redirectUri !== this.opts.redirectUrl) return undefined;
    return entry.client;
  }

  saveClientInformation(info: OAuthClientInformationMixed & { issuer?: string }): void {
    if (this.opts.oauth.clientId) return;
    const source = info.client_id === this.opts.oauth.clientMetadataUrl ? 'metadata-document' : 'dynamic';
    this.change(info.issuer, (entry) => {
      entry.client = info;
      entry.clientSource = source;
      if (source === 'dynamic') entry.redirectUri = this.redirectUrl ?? PLACEHOLDER_REDIRECT;
    });
  }

  tokens(): OAuthTokens | undefined {
    if (this.opts.ignoreStoredTokens) return undefined;
    return this.issuerRecord()?.tokens;
  }

  saveTokens(tokens: OAuthTokens & { issuer?: string }): void {
    this.change(tokens.issuer, (entry, record) => {
      entry.tokens = stampTokens(tokens);
      if (tokens.issuer) record.issuer = tokens.issuer;
    });
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.code = await this.opts.onRedirect(url);
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('no PKCE code verifier was saved for this sign-in');
    return this.verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'verifier') this.verifier = undefined;
    else if (scope === 'discovery') this.discovery = undefined;
    else {
      this.change(this.issuer, (entry) => {
        if (scope === 'all' || scope === 'tokens') delete entry.tokens;
        if (scope === 'all' || scope === 'client') delete entry.client;
      });
    }
  }

  prepareTokenRequest(scope?: string): URLSearchParams | undefined {
    if (!this.clientCredentials) return undefined;
    if (!this.opts.oauth.clientId) {
      throw new AppError('CONFIG', `server ${this.opts.server}: oauth.grantType "client_credentials" needs oauth.clientId (and clientSecret or privateKey)`);
    }
    const params = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) params.set('scope', scope);
    return params;
  }

  /**
   * Called by auth() right after discovery, before any registration or redirect: the place to refuse an
   * authorization server that does not advertise PKCE S256 (MCP authorization, "Authorization Code Protection").
   * With no metadata at all (2025-03-26 servers), the default endpoints are used and S256 is still sent.
   */
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    const metadata = state.authorizationServerMetadata;
    if (!this.clientCredentials && metadata && !metadata.code_challenge_methods_supported?.includes('S256')) {
      const advertised = metadata.code_challenge_methods_supported;
      throw new AppError(
        'SERVER_UNAVAILABLE',
        `server ${this.opts.server}: the authorization server ${state.authorizationServerUrl} does not support PKCE with S256 (code_challenge_methods_supported: ${advertised ? JSON.stringify(advertised) : 'missing'}); mcpsh refuses to sign in without it`,
        { hint: "this is the authorization server's configuration; ask its operator to enable PKCE S256, or use a headersHelper for this server" },
      );
    }
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  private record(): ServerAuthRecord | undefined {
    return this.opts.store.read(this.opts.server, this.opts.url);
  }

  private issuerRecord(): IssuerRecord | undefined {
    const record = this.record();
    const issuer = this.issuer;
    return record && issuer ? record.issuers[issuer] : undefined;
  }

  private change(issuer: string | undefined, apply: (entry: IssuerRecord, record: ServerAuthRecord) => void): void {
    const key = issuer ?? this.issuer;
    if (!key) return;
    this.opts.store.update(this.opts.server, this.opts.url, (record) => {
      const entry = (record.issuers[key] ??= {});
      apply(entry, record);
    });
  }
}
