// The grants with no browser step: client credentials, the JWT bearer grant with a workload's assertion
// (RFC 7523), and enterprise-managed authorization (RFC 8693 token exchange at the identity provider for an
// identity assertion grant, then the JWT bearer grant). One token request each: a refusal is final.
import {
  discoverAndRequestJwtAuthGrant,
  discoverOAuthServerInfo,
  fetchToken,
  requestJwtAuthorizationGrant,
  selectResourceURL,
  type FetchLike,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
} from '@modelcontextprotocol/client';
import type { ResolvedOAuth } from '../config/schema.js';
import { AppError } from '../errors.js';
import { addSecrets } from '../policy/redact.js';
import { hasCredential, readCredential } from './credential-source.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

type GrantType = ResolvedOAuth['grantType'];

export const isMachineGrant = (grant: GrantType): boolean =>
  grant === 'client_credentials' || grant === 'jwt-bearer' || grant === 'enterprise';

/** The grant_types a client of this kind declares. */
export const grantTypesOf = (grant: GrantType): string[] => (grant === 'client_credentials' ? ['client_credentials'] : [JWT_BEARER_GRANT]);

export interface GrantContext {
  server: string;
  env: NodeJS.ProcessEnv;
  /** The directory of the config file (relative credential files and commands start there). */
  cwd?: string | undefined;
  /** For the identity provider's token endpoint (never the MCP server's auth fetch). */
  fetchFn: FetchLike;
  /** The authorization server's issuer (the audience of the identity assertion grant). */
  issuer: string | undefined;
  /** The resource indicator of the MCP server, as its metadata publishes it. */
  resource: string | undefined;
}

/** The body of the token request for a machine grant. */
export async function machineGrantParams(oauth: ResolvedOAuth, ctx: GrantContext, scope: string | undefined): Promise<URLSearchParams> {
  const params = new URLSearchParams();
  if (oauth.grantType === 'client_credentials') {
    if (!oauth.clientId) throw configError(ctx.server, 'client_credentials', 'oauth.clientId (and clientSecret or privateKey)');
    params.set('grant_type', 'client_credentials');
  } else if (oauth.grantType === 'jwt-bearer') {
    const source = { inline: oauth.assertion, file: oauth.assertionFile, command: oauth.assertionCommand };
    if (!hasCredential(source)) throw configError(ctx.server, 'jwt-bearer', 'oauth.assertion, assertionFile or assertionCommand');
    params.set('grant_type', JWT_BEARER_GRANT);
    params.set('assertion', await readCredential({ server: ctx.server, field: 'oauth.assertion', ...source, env: ctx.env, cwd: ctx.cwd }));
  } else {
    params.set('grant_type', JWT_BEARER_GRANT);
    params.set('assertion', await identityAssertionGrant(oauth, ctx, scope));
  }
  if (scope) params.set('scope', scope);
  return params;
}

/** RFC 8693 at the identity provider: the user's ID token for an identity assertion grant (ID-JAG) for this server. */
async function identityAssertionGrant(oauth: ResolvedOAuth, ctx: GrantContext, scope: string | undefined): Promise<string> {
  const idp = oauth.idp;
  if (!idp) throw configError(ctx.server, 'enterprise', 'oauth.idp (issuer, clientId and idToken, idTokenFile or idTokenCommand)');
  if (!oauth.clientId) throw configError(ctx.server, 'enterprise', "oauth.clientId (mcpsh's client at the authorization server)");
  if (!ctx.issuer || !ctx.resource) {
    throw new AppError(
      'SERVER_UNAVAILABLE',
      `server ${ctx.server}: enterprise-managed authorization needs the server's protected resource metadata (RFC 9728), which it does not publish`,
      {
        hint: 'ask its operator; or use another oauth.grantType',
      },
    );
  }
  const source = { inline: idp.idToken, file: idp.idTokenFile, command: idp.idTokenCommand };
  if (!hasCredential(source)) throw configError(ctx.server, 'enterprise', 'oauth.idp.idToken, idTokenFile or idTokenCommand');
  const idToken = await readCredential({ server: ctx.server, field: 'oauth.idp.idToken', ...source, env: ctx.env, cwd: ctx.cwd });
  addSecrets([idp.clientSecret]);
  const request = {
    audience: ctx.issuer,
    resource: ctx.resource,
    idToken,
    clientId: idp.clientId,
    ...(idp.clientSecret ? { clientSecret: idp.clientSecret } : {}),
    ...(scope ? { scope } : {}),
    fetchFn: ctx.fetchFn,
  };
  let grant: string;
  try {
    grant = idp.tokenEndpoint
      ? (await requestJwtAuthorizationGrant({ ...request, tokenEndpoint: idp.tokenEndpoint })).jwtAuthGrant
      : (await discoverAndRequestJwtAuthGrant({ ...request, idpUrl: idp.issuer })).jwtAuthGrant;
  } catch (err) {
    throw new AppError(
      'SERVER_UNAVAILABLE',
      `server ${ctx.server}: the identity provider ${idp.issuer} did not exchange the ID token: ${err instanceof Error ? err.message : String(err)}`,
      {
        hint: 'check oauth.idp (clientId, clientSecret) and that the ID token is current',
        cause: err,
      },
    );
  }
  addSecrets([grant]);
  return grant;
}

export interface MachineGrantProvider extends OAuthClientProvider {
  saveDiscoveryState(state: OAuthDiscoveryState): void;
  saveResourceUrl(resource: string): void;
}

/**
 * Discovery, the resource check and one token request, with no fallback to another grant and no retry
 * (auth() would retry an invalid_grant: a workload's assertion does not get better by asking again).
 */
export async function runMachineGrant(
  provider: MachineGrantProvider,
  opts: { serverUrl: string; scope: string | undefined; resourceMetadataUrl?: URL | undefined; fetchFn: FetchLike },
): Promise<void> {
  const info = await discoverOAuthServerInfo(opts.serverUrl, {
    ...(opts.resourceMetadataUrl ? { resourceMetadataUrl: opts.resourceMetadataUrl } : {}),
    fetchFn: opts.fetchFn,
  });
  provider.saveDiscoveryState(info);
  const metadata = info.authorizationServerMetadata;
  const issuer = metadata?.issuer ?? info.authorizationServerUrl;
  // Throws when the metadata names another resource: no token is asked for a server it was not meant for.
  const selected = await selectResourceURL(opts.serverUrl, provider, info.resourceMetadata);
  const resource = selected && info.resourceMetadata ? info.resourceMetadata.resource : selected?.href;
  if (resource) provider.saveResourceUrl(resource);
  const scope = opts.scope || info.resourceMetadata?.scopes_supported?.join(' ') || provider.clientMetadata.scope;
  const tokens = await fetchToken(provider, info.authorizationServerUrl, {
    ...(metadata ? { metadata } : {}),
    ...(resource ? { resource } : {}),
    ...(scope ? { scope } : {}),
    fetchFn: opts.fetchFn,
  });
  await provider.saveTokens({ ...tokens, issuer }, { issuer });
}

function configError(server: string, grant: string, needs: string): AppError {
  return new AppError('CONFIG', `server ${server}: oauth.grantType "${grant}" needs ${needs}`, {
    hint: 'see docs/auth.md, "Machine-to-machine grants"',
  });
}
