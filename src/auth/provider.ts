// mcpsh's OAuthClientProvider for the SDK's auth(): client identity from the config (pre-registered), a
// client ID metadata document or dynamic registration; everything kept per issuer in the AuthStore (so a
// new authorization server means a new registration); PKCE S256 enforced; DPoP and the machine grants.
import {
  createPrivateKeyJwtAuth,
  validateAuthorizationResponseIssuer,
  type DpopSession,
  type OAuthClientInformationContext,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { ResolvedOAuth } from '../config/schema.js';
import { AppError } from '../errors.js';
import type { AuthorizationResponse } from './loopback.js';
import { grantTypesOf, isMachineGrant, machineGrantParams, type GrantContext } from './machine-grant.js';
import { wantsDpop, type DpopKeys } from './dpop.js';
import { stampTokens, type AuthStore, type IssuerRecord, type ServerAuthRecord } from './store.js';

/** Used as redirect_uri only when no browser step can happen (refresh, or failing fast). */
const PLACEHOLDER_REDIRECT = 'http://127.0.0.1/callback';

export interface ProviderOptions {
  server: string;
  url: string;
  oauth: ResolvedOAuth;
  store: AuthStore;
  dpopKeys: DpopKeys;
  /** What the machine grants need to read their credentials and reach the identity provider. */
  grant: Omit<GrantContext, 'issuer' | 'resource'>;
  /** The loopback listener's URL when a browser step may happen. */
  redirectUrl?: string;
  /** Called with the authorization URL: returns the redirect's response (browser step) or throws (sign-in needed). */
  onRedirect(url: URL): Promise<AuthorizationResponse>;
  state?: string;
  /** A browser sign-in wants a new grant: stored tokens are not offered to auth() (it would refresh them). */
  ignoreStoredTokens?: boolean;
  /**
   * No browser step can follow (a refresh only): thrown right after discovery when the authorization server
   * found holds no refresh token, so nothing is registered with a server this run cannot sign in to.
   */
  refreshOnly?: Error;
}

export class StoreOAuthProvider implements OAuthClientProvider {
  /** The authorization response from the browser step, once it came back with a code. */
  response: AuthorizationResponse | undefined;
  private verifier: string | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  private resource: string | undefined;
  readonly addClientAuthentication?: NonNullable<OAuthClientProvider['addClientAuthentication']>;
  readonly clientMetadataUrl?: string;

  constructor(private readonly opts: ProviderOptions) {
    const { oauth } = opts;
    if (oauth.clientMetadataUrl !== undefined) this.clientMetadataUrl = oauth.clientMetadataUrl;
    if (oauth.privateKey && oauth.clientId) {
      this.addClientAuthentication = createPrivateKeyJwtAuth({
        issuer: oauth.clientId,
        subject: oauth.clientId,
        privateKey: oauth.privateKey,
        alg: oauth.signingAlgorithm ?? 'ES256',
      });
    }
  }

  /** A grant with no browser step (client credentials, JWT bearer, enterprise-managed). */
  get machineGrant(): boolean {
    return isMachineGrant(this.opts.oauth.grantType);
  }

  get redirectUrl(): string | undefined {
    if (this.machineGrant) return undefined;
    return this.opts.redirectUrl ?? this.issuerRecord()?.redirectUri ?? PLACEHOLDER_REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    const scope = this.opts.oauth.scopes?.join(' ');
    if (this.machineGrant)
      return { client_name: 'mcpsh', redirect_uris: [], grant_types: grantTypesOf(this.opts.oauth.grantType), ...(scope ? { scope } : {}) };
    // application_type matches what the SDK would derive (a loopback redirect is a native app), stated here
    // so the registration says one consistent thing whoever fills it in.
    return {
      client_name: 'mcpsh',
      client_uri: 'https://github.com/modelcontextprotocol',
      redirect_uris: [this.redirectUrl ?? PLACEHOLDER_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      ...(scope ? { scope } : {}),
    };
  }

  state(): string {
    return this.opts.state ?? '';
  }

  /** The issuer discovery found (metadata's `issuer`, as the SDK keys it), else the one of the stored tokens. */
  get issuer(): string | undefined {
    const d = this.discovery;
    return d ? (d.authorizationServerMetadata?.issuer ?? d.authorizationServerUrl) : this.record()?.issuer;
  }

  clientInformation(ctx?: OAuthClientInformationContext): StoredOAuthClientInformation | undefined {
    const { oauth } = this.opts;
    const issuer = ctx?.issuer ?? this.issuer;
    // A configured client is the user's word for whichever authorization server the resource names.
    if (oauth.clientId)
      return {
        client_id: oauth.clientId,
        ...(oauth.clientSecret ? { client_secret: oauth.clientSecret } : {}),
        ...(issuer ? { issuer } : {}),
      };
    const entry = this.issuerRecord(issuer);
    if (!entry?.client) return undefined;
    if (entry.clientSource === 'metadata-document' && entry.client.client_id !== oauth.clientMetadataUrl) return undefined;
    // A dynamic registration is bound to its redirect URI; a new listener port needs a new one.
    if (entry.clientSource === 'dynamic' && this.opts.redirectUrl && entry.redirectUri !== this.opts.redirectUrl) return undefined;
    return { ...entry.client, issuer: entry.client.issuer ?? issuer };
  }

  saveClientInformation(info: StoredOAuthClientInformation, ctx?: OAuthClientInformationContext): void {
    if (this.opts.oauth.clientId) return;
    const source = info.client_id === this.opts.oauth.clientMetadataUrl ? 'metadata-document' : 'dynamic';
    this.change(ctx?.issuer ?? info.issuer, (entry) => {
      entry.client = info;
      entry.clientSource = source;
      if (source === 'dynamic') entry.redirectUri = this.redirectUrl ?? PLACEHOLDER_REDIRECT;
    });
  }

  /** The tokens of `ctx.issuer`; with no ctx, the set saved last (whatever its issuer). */
  tokens(ctx?: OAuthClientInformationContext): StoredOAuthTokens | undefined {
    if (this.opts.ignoreStoredTokens) return undefined;
    const issuer = ctx?.issuer ?? this.record()?.issuer;
    const tokens = this.issuerRecord(issuer)?.tokens;
    return tokens && issuer ? { ...tokens, issuer: tokens.issuer ?? issuer } : tokens;
  }

  saveTokens(tokens: StoredOAuthTokens, ctx?: OAuthClientInformationContext): void {
    const issuer = ctx?.issuer ?? tokens.issuer ?? this.issuer;
    this.change(issuer, (entry, record) => {
      entry.tokens = stampTokens(tokens);
      if (issuer) record.issuer = issuer;
    });
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    const response = await this.opts.onRedirect(withoutUnsupportedOfflineAccess(url, this.discovery));
    if (response.error !== undefined || response.code === undefined) {
      // RFC 9207 first: an error from somewhere else (a mix-up) is refused without showing what it said.
      const metadata = this.discovery?.authorizationServerMetadata;
      validateAuthorizationResponseIssuer({
        iss: response.iss,
        expectedIssuer: metadata?.issuer,
        issParameterSupported: metadata?.authorization_response_iss_parameter_supported === true,
      });
      const said = response.error ?? 'no code';
      throw new AppError(
        'SERVER_UNAVAILABLE',
        `sign-in to server ${this.opts.server} failed: the authorization server answered ${said.slice(0, 80)}${response.errorDescription ? ` (${response.errorDescription.slice(0, 200)})` : ''}`,
        {
          hint: `try again with \`mcpsh auth login ${this.opts.server}\``,
        },
      );
    }
    this.response = response;
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

  async prepareTokenRequest(scope?: string): Promise<URLSearchParams | undefined> {
    if (!this.machineGrant) return undefined;
    return machineGrantParams(this.opts.oauth, { ...this.opts.grant, issuer: this.issuer, resource: this.resource }, scope);
  }

  /** DPoP proofs on token requests: as configured, or when the authorization server advertises DPoP. */
  async dpop(): Promise<DpopSession | undefined> {
    const issuer = this.issuer;
    if (!issuer || !wantsDpop(this.opts.oauth.dpop, this.discovery?.authorizationServerMetadata)) return undefined;
    return this.opts.dpopKeys.sessionFor(issuer);
  }

  saveResourceUrl(resource: string): void {
    this.resource = resource;
  }

  resourceUrl(): string | undefined {
    return this.resource;
  }

  /**
   * Called by auth() right after discovery, before any registration or redirect: the place to refuse an
   * authorization server that does not advertise PKCE S256 (MCP authorization, "Authorization Code Protection").
   * With no metadata at all (2025-03-26 servers), the default endpoints are used and S256 is still sent.
   */
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    const metadata = state.authorizationServerMetadata;
    if (!this.machineGrant && metadata && !metadata.code_challenge_methods_supported?.includes('S256')) {
      const advertised = metadata.code_challenge_methods_supported;
      throw new AppError(
        'SERVER_UNAVAILABLE',
        `server ${this.opts.server}: the authorization server ${state.authorizationServerUrl} does not support PKCE with S256 (code_challenge_methods_supported: ${advertised ? JSON.stringify(advertised) : 'missing'}); mcpsh refuses to sign in without it`,
        {
          hint: "this is the authorization server's configuration; ask its operator to enable PKCE S256, or use a headersHelper for this server",
        },
      );
    }
    this.discovery = state;
    if (this.opts.refreshOnly && !this.tokens({ issuer: this.issuer ?? '' })?.refresh_token) throw this.opts.refreshOnly;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  private record(): ServerAuthRecord | undefined {
    return this.opts.store.read(this.opts.server, this.opts.url);
  }

  private issuerRecord(issuer = this.issuer): IssuerRecord | undefined {
    const record = this.record();
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

/**
 * offline_access is asked for only from an authorization server that lists it in scopes_supported (SEP-2207):
 * a configured or challenged scope may name it for a server that does not know it.
 */
function withoutUnsupportedOfflineAccess(url: URL, discovery: OAuthDiscoveryState | undefined): URL {
  const scope = url.searchParams.get('scope');
  if (!scope?.split(' ').includes('offline_access')) return url;
  if (discovery?.authorizationServerMetadata?.scopes_supported?.includes('offline_access')) return url;
  const kept = scope.split(' ').filter((s) => s !== 'offline_access');
  const out = new URL(url);
  if (kept.length > 0) out.searchParams.set('scope', kept.join(' '));
  else out.searchParams.delete('scope');
  // The SDK adds prompt=consent because of offline_access; without it, there is no reason to.
  if (out.searchParams.get('prompt') === 'consent') out.searchParams.delete('prompt');
  return out;
}
