// `mcpsh auth login|logout|status`: OAuth sign-in for remote servers, done by connecting with the browser
// step allowed; tokens and registrations live in src/auth/store.ts. Status never shows a token.
import { hasAuthorization } from '../auth/auth-fetch.js';
import { authPolicyFor, setAuthPolicy } from '../auth/context.js';
import { AuthStore, isExpired, type ServerAuthRecord, type StoredTokens } from '../auth/store.js';
import type { GlobalOptions } from '../options.js';
import type { ResolvedRemoteServer, ResolvedServer } from '../config/schema.js';
import { AppError } from '../errors.js';
import { writeLine, type Io } from '../io.js';
import { jsonText } from '../output/safe-text.js';
import { formatTable } from '../output/table.js';
import { textIo } from '../output/terminal-io.js';
import { connectOne, openHost, requireServer } from './host.js';

export interface AuthStatusJson {
  server: string;
  url: string;
  /** How this server authenticates: oauth, client_credentials, headers, headersHelper, or none (oauth: false). */
  method: 'oauth' | 'client_credentials' | 'headers' | 'headersHelper' | 'none';
  signedIn: boolean;
  issuer?: string;
  scopes?: string[];
  /** ISO time the access token expires, when the server said. */
  expiresAt?: string;
  expired?: boolean;
  refreshable?: boolean;
  /** Where the client ID came from: config, metadata-document or dynamic (registration). */
  client?: string;
}

export async function runAuthLogin(server: string, opts: GlobalOptions, rawIo: Io): Promise<number> {
  const io = textIo(rawIo);
  const host = await openHost(opts, io, { auth: { interactive: true, noBrowser: opts.browser === false } });
  try {
    const entry = remoteEntry(requireServer(host.hub, server).config);
    const method = methodOf(entry);
    if (method !== 'oauth' && method !== 'client_credentials') {
      throw new AppError('USAGE', `server ${server} does not use OAuth (${describeMethod(method)})`, {
        hint:
          method === 'none'
            ? `remove "oauth": false from ${server} in ${entry.source} to let it sign in`
            : 'its headers are sent as configured; nothing to sign in to',
      });
    }
    // A login is a fresh sign-in (stored tokens would only be refreshed), but the old tokens stay on disk
    // until it succeeds: a sign-in that times out or is cancelled must not sign the user out.
    setAuthPolicy(io.env, { ...authPolicyFor(io.env), forceSignIn: true });
    const store = new AuthStore(io.env);
    const before = currentTokens(store.read(server, entry.url))?.obtained_at;
    await connectOne(host, server, io);
    const record = store.read(server, entry.url);
    const status = statusOf(entry, record);
    if (!status.signedIn || currentTokens(record)?.obtained_at === before) {
      writeLine(io.stdout, `server ${server} did not ask for sign-in: it answered without a token, so nothing was stored`);
      return 0;
    }
    writeLine(io.stdout, `signed in to ${server}${describeStatus(status)}`);
    return 0;
  } finally {
    await host.close();
  }
}

export async function runAuthLogout(server: string, opts: GlobalOptions, rawIo: Io): Promise<number> {
  const io = textIo(rawIo);
  const host = await openHost(opts, io);
  try {
    const entry = requireServer(host.hub, server).config;
    const removed = new AuthStore(io.env).remove(entry.name);
    writeLine(
      io.stdout,
      removed ? `signed out of ${server}: its tokens and client registration are deleted` : `nothing was stored for ${server}`,
    );
    return 0;
  } finally {
    await host.close();
  }
}

export async function runAuthStatus(server: string | undefined, opts: GlobalOptions & { json?: boolean }, rawIo: Io): Promise<number> {
  const io = textIo(rawIo);
  const host = await openHost(opts, io);
  try {
    const entries = server !== undefined ? [remoteEntry(requireServer(host.hub, server).config)] : host.loaded.servers.filter(isRemote);
    const store = new AuthStore(io.env);
    const statuses = entries.map((e) => statusOf(e, store.read(e.name, e.url)));
    if (opts.json) {
      writeLine(io.stdout, jsonText(statuses, 2));
      return 0;
    }
    if (statuses.length === 0) {
      writeLine(io.stdout, 'no remote servers are configured');
      return 0;
    }
    const rows = statuses.map((s) => [
      s.server,
      s.method === 'oauth' || s.method === 'client_credentials' ? (s.signedIn ? 'signed in' : 'not signed in') : describeMethod(s.method),
      detail(s),
    ]);
    writeLine(io.stdout, formatTable([['SERVER', 'AUTH', 'DETAILS'], ...rows]).trimEnd());
    return 0;
  } finally {
    await host.close();
  }
}

function isRemote(entry: ResolvedServer): entry is ResolvedRemoteServer {
  return entry.transport !== 'stdio';
}

function remoteEntry(entry: ResolvedServer): ResolvedRemoteServer {
  if (!isRemote(entry)) throw new AppError('USAGE', `server ${entry.name} is a local (stdio) server; sign-in is for remote (HTTP) servers`);
  return entry;
}

function methodOf(entry: ResolvedRemoteServer): AuthStatusJson['method'] {
  if (entry.headersHelper) return 'headersHelper';
  if (hasAuthorization(entry.headers)) return 'headers';
  if (entry.oauth === false) return 'none';
  return entry.oauth.grantType === 'client_credentials' ? 'client_credentials' : 'oauth';
}

function describeMethod(method: AuthStatusJson['method']): string {
  if (method === 'headersHelper') return 'uses a headersHelper';
  if (method === 'headers') return 'uses an Authorization header from the config';
  if (method === 'none') return 'OAuth is off ("oauth": false)';
  return method;
}

export function statusOf(entry: ResolvedRemoteServer, record: ServerAuthRecord | undefined): AuthStatusJson {
  const base: AuthStatusJson = { server: entry.name, url: entry.url, method: methodOf(entry), signedIn: false };
  const issuer = record?.issuer;
  const current = issuer ? record.issuers[issuer] : undefined;
  const tokens = current?.tokens;
  if (!issuer || !current || !tokens) return base;
  const expired = isExpired(tokens);
  return {
    ...base,
    signedIn: true,
    issuer,
    scopes: tokens.scope ? tokens.scope.split(/\s+/).filter(Boolean) : [],
    ...(tokens.expires_at !== undefined ? { expiresAt: new Date(tokens.expires_at).toISOString(), expired } : {}),
    refreshable: tokens.refresh_token !== undefined,
    ...(current.clientSource
      ? { client: current.clientSource }
      : entry.oauth !== false && entry.oauth.clientId
        ? { client: 'config' }
        : {}),
  };
}

function currentTokens(record: ServerAuthRecord | undefined): StoredTokens | undefined {
  return record?.issuer ? record.issuers[record.issuer]?.tokens : undefined;
}

function describeStatus(s: AuthStatusJson): string {
  const parts = [
    s.issuer ? `issuer ${s.issuer}` : undefined,
    s.scopes && s.scopes.length > 0 ? `scopes ${s.scopes.join(' ')}` : undefined,
    s.expiresAt ? `expires ${s.expiresAt}` : undefined,
  ];
  const text = parts.filter(Boolean).join(', ');
  return text ? ` (${text})` : '';
}

function detail(s: AuthStatusJson): string {
  if (!s.signedIn) return s.method === 'oauth' ? `run \`mcpsh auth login ${s.server}\`` : s.url;
  const expiry = s.expiresAt
    ? `${s.expired ? 'expired' : 'expires'} ${s.expiresAt}${s.expired && s.refreshable ? ' (refreshable)' : ''}`
    : 'no expiry given';
  return `${s.issuer ?? ''}  scopes: ${s.scopes?.join(' ') || '(none)'}  ${expiry}`;
}
