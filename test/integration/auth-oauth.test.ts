// OAuth 2.1 for remote servers through a real ServerConnection against a local authorization server and
// protected MCP server (test/fixtures/auth): discovery, registration variants, PKCE, refresh, step-up.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_STEP_UPS } from '../../src/auth/auth-fetch.js';
import { setAuthPolicy } from '../../src/auth/context.js';
import { OAuthSession, type AuthPolicy } from '../../src/auth/oauth-session.js';
import { AuthStore } from '../../src/auth/store.js';
import type { ResolvedOAuth } from '../../src/config/schema.js';
import { ServerConnection } from '../../src/mcp/connection.js';
import { redact } from '../../src/policy/redact.js';
import { remoteServer } from '../helpers/config.js';
import { startOAuthFixture, type FixtureOptions, type OAuthFixture } from '../fixtures/auth/oauth-fixture.js';

const BROWSER = `'${process.execPath}' '${fileURLToPath(new URL('../fixtures/auth/fake-browser.mjs', import.meta.url))}'`;

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function fixture(options: FixtureOptions = {}): Promise<OAuthFixture> {
  const f = await startOAuthFixture(options);
  cleanup.push(() => f.close());
  return f;
}

interface Run {
  env: NodeJS.ProcessEnv;
  notices: string[];
  connect(url: string, oauth?: Partial<ResolvedOAuth>, interactive?: boolean, policy?: Partial<AuthPolicy>): Promise<ServerConnection>;
}

function run(): Run {
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-auth-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, MCPSH_DATA_DIR: join(dir, 'data') };
  const notices: string[] = [];
  return {
    env,
    notices,
    async connect(url, oauth = {}, interactive = true, policy = {}) {
      setAuthPolicy(env, { interactive, browser: BROWSER, notify: (m) => notices.push(m), callbackTimeoutMs: 10_000, ...policy });
      const c = new ServerConnection(remoteServer('remote', url, 'http', { oauth: { redirectPort: 0, ...oauth } }), {
        env,
        stderrLogPath: join(dir, 'remote.log'),
        clientInfo: { name: 'test', version: '1' },
      });
      cleanup.push(() => c.close());
      await c.connect();
      return c;
    },
  };
}

const textOf = (result: { content: unknown }): string => (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('');

describe('sign-in with the browser step', () => {
  it('discovers from WWW-Authenticate, registers dynamically, uses PKCE S256, resource and state, and stores tokens 0600', async () => {
    const f = await fixture({ scopesSupported: ['mcp:read', 'mcp:tools'] });
    const r = run();
    const c = await r.connect(f.mcpUrl);
    expect(c.state).toBe('ready');
    // The 401 that started the sign-in is not reported as the server's error once it is ready.
    expect(c.error).toBeUndefined();
    expect(f.registrations).toHaveLength(1);
    const auth = f.authorizeRequests[0]!;
    expect(auth.get('code_challenge_method')).toBe('S256');
    expect(auth.get('resource')).toBe(f.mcpUrl);
    expect(auth.get('state')?.length).toBeGreaterThan(20);
    expect(auth.get('scope')).toBe('mcp:read mcp:tools');
    expect(auth.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(f.tokenRequests).toEqual([{ grantType: 'authorization_code', clientAuth: 'none', resource: f.mcpUrl, ok: true }]);
    expect(textOf(await c.callTool('whoami', {}))).toBe('whoami ok; scopes: mcp:read mcp:tools');

    const store = new AuthStore(r.env);
    const file = store.fileFor('remote');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(store.dir).mode & 0o777).toBe(0o700);
    const record = store.read('remote', f.mcpUrl)!;
    expect(record.issuer).toBe(f.issuer);
    const token = record.issuers[f.issuer]!.tokens!.access_token;
    expect(redact(`Bearer ${token}`)).toBe('Bearer ***');
    expect(r.notices.join('\n')).toContain('Opening the browser to sign in to remote');
  });

  it('finds the metadata at the well-known fallbacks: path-based resource metadata, OIDC discovery with an issuer path', async () => {
    const f = await fixture({ prmInChallenge: false, metadata: 'oidc', issuerPath: '/tenant1' });
    const c = await run().connect(f.mcpUrl);
    expect(c.state).toBe('ready');
    expect(f.metadataRequests).toContain('/.well-known/openid-configuration/tenant1');
    // Scopes: none in the challenge and no scopes_supported, so none are asked for.
    expect(f.authorizeRequests[0]!.has('scope')).toBe(false);
  });

  it('uses the scope of the 401 challenge first', async () => {
    const f = await fixture({ challengeScope: 'mcp:basic', scopesSupported: ['mcp:basic', 'mcp:admin'] });
    await run().connect(f.mcpUrl);
    expect(f.authorizeRequests[0]!.get('scope')).toBe('mcp:basic');
  });

  it('asks for the configured oauth.scopes over the challenge and scopes_supported', async () => {
    const f = await fixture({ challengeScope: 'mcp:basic', scopesSupported: ['mcp:basic', 'mcp:admin'] });
    const c = await run().connect(f.mcpUrl, { scopes: ['mcp:admin', 'mcp:extra'] });
    expect(c.state).toBe('ready');
    expect(f.authorizeRequests.map((q) => q.get('scope'))).toEqual(['mcp:admin mcp:extra']);
    expect(f.registrations[0]).toMatchObject({ scope: 'mcp:admin mcp:extra' });
  });

  it('uses pre-registered credentials with client_secret_basic and makes no registration', async () => {
    const f = await fixture({
      dynamicRegistration: false,
      preRegistered: { clientId: 'pre-client', clientSecret: 'pre-secret-123' },
      tokenAuthMethods: ['client_secret_basic'],
    });
    const c = await run().connect(f.mcpUrl, { clientId: 'pre-client', clientSecret: 'pre-secret-123' });
    expect(c.state).toBe('ready');
    expect(f.registrations).toHaveLength(0);
    expect(f.authorizeRequests[0]!.get('client_id')).toBe('pre-client');
    expect(f.tokenRequests[0]).toMatchObject({ clientAuth: 'basic', ok: true });
  });

  it('uses client_secret_post when that is all the server allows', async () => {
    const f = await fixture({
      dynamicRegistration: false,
      preRegistered: { clientId: 'pre-client', clientSecret: 'pre-secret-123' },
      tokenAuthMethods: ['client_secret_post'],
    });
    await run().connect(f.mcpUrl, { clientId: 'pre-client', clientSecret: 'pre-secret-123' });
    expect(f.tokenRequests[0]).toMatchObject({ clientAuth: 'post', ok: true });
  });

  it('uses a client ID metadata document when the server supports them', async () => {
    const f = await fixture({ clientIdMetadataDocuments: true });
    const c = await run().connect(f.mcpUrl, { clientMetadataUrl: 'https://mcpsh.example/client.json' });
    expect(c.state).toBe('ready');
    expect(f.registrations).toHaveLength(0);
    expect(f.authorizeRequests[0]!.get('client_id')).toBe('https://mcpsh.example/client.json');
  });

  it('refuses an authorization server that does not advertise PKCE S256', async () => {
    for (const pkceMethods of [null, ['plain']]) {
      const f = await fixture({ pkceMethods });
      const c = await run().connect(f.mcpUrl);
      expect(c.state).toBe('failed');
      expect(c.error).toMatch(/does not support PKCE with S256 .*refuses to sign in/);
      expect(f.registrations).toHaveLength(0);
      expect(f.authorizeRequests).toHaveLength(0);
    }
  });
});

describe('stored credentials', () => {
  it('without stored tokens and without the browser step: fails with the login hint, registers nothing', async () => {
    const f = await fixture();
    const c = await run().connect(f.mcpUrl, {}, false);
    expect(c.state).toBe('failed');
    expect(c.error).toBe('server remote answered HTTP 401 Unauthorized and needs sign-in (OAuth): run `mcpsh auth login remote`');
    expect(f.registrations).toHaveLength(0);
    expect(f.metadataRequests).toHaveLength(0);
  });

  it('refreshes an expiring token before using it, without a browser', async () => {
    const f = await fixture();
    const r = run();
    await (await r.connect(f.mcpUrl)).close();
    // The token is still good at the server, but the client's clock says it is about to expire.
    new AuthStore(r.env).update('remote', f.mcpUrl, (record) => {
      const tokens = record.issuers[record.issuer!]!.tokens!;
      tokens.obtained_at = Date.now() - 3_590_000;
      tokens.expires_at = Date.now() + 10_000;
    });
    const c = await r.connect(f.mcpUrl, {}, false);
    expect(c.error).toBeUndefined();
    expect(c.state).toBe('ready');
    expect(f.tokenRequests.map((t) => `${t.grantType}:${t.ok}`)).toEqual(['authorization_code:true', 'refresh_token:true']);
    expect(f.authorizeRequests).toHaveLength(1);
  });

  it('refreshes after a 401 for a token the server no longer accepts', async () => {
    const f = await fixture();
    const r = run();
    await (await r.connect(f.mcpUrl)).close();
    f.revokeAccessTokens();
    const c = await r.connect(f.mcpUrl, {}, false);
    expect(c.error).toBeUndefined();
    expect(c.state).toBe('ready');
    expect(f.tokenRequests.map((t) => t.grantType)).toEqual(['authorization_code', 'refresh_token']);
  });
});

describe('a forced sign-in (auth login)', () => {
  const tokenOf = (env: NodeJS.ProcessEnv, url: string): string | undefined => {
    const record = new AuthStore(env).read('remote', url);
    return record?.issuer ? record.issuers[record.issuer]?.tokens?.access_token : undefined;
  };

  it('keeps the stored tokens when it does not finish, replaces them when it does, and reuses the registration', async () => {
    const f = await fixture({ scopesSupported: ['mcp:read'] });
    const r = run();
    await (await r.connect(f.mcpUrl)).close();
    const first = tokenOf(r.env, f.mcpUrl);
    expect(first).toBeDefined();

    // Nobody opens the printed URL: the sign-in times out, and the earlier tokens are still there and good.
    const unfinished = await r.connect(f.mcpUrl, {}, true, { forceSignIn: true, noBrowser: true, callbackTimeoutMs: 300 });
    expect(unfinished.state).toBe('failed');
    expect(unfinished.error).toMatch(/sign-in to server remote timed out/);
    expect(tokenOf(r.env, f.mcpUrl)).toBe(first);
    const after = await r.connect(f.mcpUrl, {}, false);
    expect(textOf(await after.callTool('whoami', {}))).toBe('whoami ok; scopes: mcp:read');
    expect(f.tokenRequests.map((t) => t.grantType)).toEqual(['authorization_code']);

    // A forced sign-in that finishes goes through the browser even though a refresh token is stored.
    const again = await r.connect(f.mcpUrl, {}, true, { forceSignIn: true });
    expect(again.state).toBe('ready');
    expect(f.tokenRequests.map((t) => t.grantType)).toEqual(['authorization_code', 'authorization_code']);
    expect(tokenOf(r.env, f.mcpUrl)).not.toBe(first);
    // The listener took the registered port again, so the one dynamic registration still fits.
    expect(f.registrations).toHaveLength(1);
    expect(f.authorizeRequests).toHaveLength(2);
    expect(f.authorizeRequests[1]!.get('redirect_uri')).toBe(f.authorizeRequests[0]!.get('redirect_uri'));
    expect(f.authorizeRequests[1]!.get('client_id')).toBe(f.authorizeRequests[0]!.get('client_id'));
  });
});

describe('overlapping authorize calls', () => {
  async function signedIn(options: FixtureOptions): Promise<{ f: OAuthFixture; session: OAuthSession; policy: AuthPolicy }> {
    const f = await fixture(options);
    const r = run();
    await (await r.connect(f.mcpUrl)).close();
    const session = new OAuthSession('remote', f.mcpUrl, { redirectPort: 0 }, new AuthStore(r.env), fetch, r.env);
    return { f, session, policy: { interactive: true, browser: BROWSER, notify: () => undefined, callbackTimeoutMs: 10_000 } };
  }

  it('share one refresh when they ask for the same thing', async () => {
    const { f, session } = await signedIn({});
    await Promise.all([session.authorize({}, false), session.authorize({}, false), session.authorize({}, false)]);
    expect(f.tokenRequests.map((t) => t.grantType)).toEqual(['authorization_code', 'refresh_token']);
  });

  it('a step-up arriving while a refresh runs gets its own sign-in after it, not the refresh', async () => {
    const { f, session, policy } = await signedIn({ challengeScope: 'mcp:read', writeScope: 'mcp:write' });
    const refresh = session.authorize({}, false);
    const stepUp = session.authorize({ scope: 'mcp:read mcp:write', insufficientScope: true }, true, policy);
    await Promise.all([refresh, stepUp]);
    expect(f.tokenRequests.map((t) => t.grantType)).toEqual(['authorization_code', 'refresh_token', 'authorization_code']);
    expect(f.authorizeRequests.map((q) => q.get('scope'))).toEqual(['mcp:read', 'mcp:read mcp:write']);
    expect(session.storedTokens()?.scope).toBe('mcp:read mcp:write');
  });

  it('a refresh arriving while a sign-in runs is answered by the tokens that sign-in stored', async () => {
    const { f, session, policy } = await signedIn({ challengeScope: 'mcp:read', writeScope: 'mcp:write' });
    const stepUp = session.authorize({ scope: 'mcp:read mcp:write', insufficientScope: true }, true, policy);
    const refresh = session.authorize({}, false);
    await Promise.all([stepUp, refresh]);
    // The refresh would have traded the old refresh token for old-scope tokens after the step-up stored its own.
    expect(f.tokenRequests.map((t) => t.grantType)).toEqual(['authorization_code', 'authorization_code']);
    expect(session.storedTokens()?.scope).toBe('mcp:read mcp:write');
  });
});

describe('client credentials', () => {
  it('gets a token with client_secret_basic and no browser, even when not interactive', async () => {
    const f = await fixture({
      dynamicRegistration: false,
      preRegistered: { clientId: 'robot', clientSecret: 'robot-secret-1' },
      tokenAuthMethods: ['client_secret_basic'],
    });
    const r = run();
    const c = await r.connect(
      f.mcpUrl,
      { grantType: 'client_credentials', clientId: 'robot', clientSecret: 'robot-secret-1', scopes: ['mcp:tools'] },
      false,
    );
    expect(c.state).toBe('ready');
    expect(f.tokenRequests).toEqual([{ grantType: 'client_credentials', clientAuth: 'basic', resource: f.mcpUrl, ok: true }]);
    expect(f.authorizeRequests).toHaveLength(0);
    expect(textOf(await c.callTool('whoami', {}))).toBe('whoami ok; scopes: mcp:tools');
    expect(r.notices).toEqual([]);
  });
});

describe('step-up on 403 insufficient_scope', () => {
  it('signs in again with the wider scope and retries the call', async () => {
    const f = await fixture({ challengeScope: 'mcp:read', writeScope: 'mcp:write' });
    const c = await run().connect(f.mcpUrl);
    expect(textOf(await c.callTool('write', {}))).toBe('write ok; scopes: mcp:read mcp:write');
    expect(f.authorizeRequests.map((q) => q.get('scope'))).toEqual(['mcp:read', 'mcp:read mcp:write']);
  });

  it('gives up after a bounded number of step-ups when the scope is never granted', async () => {
    const f = await fixture({ challengeScope: 'mcp:read', writeScope: 'mcp:write', grantScope: 'mcp:read' });
    const c = await run().connect(f.mcpUrl);
    for (let i = 0; i < 4; i++) {
      const outcome = await c.callTool('write', {}).then(
        (result) => result.isError === true,
        () => true,
      );
      expect(outcome).toBe(true);
    }
    expect(f.authorizeRequests).toHaveLength(1 + MAX_STEP_UPS);
  });

  it('without the browser step, a step-up is reported with the login hint', async () => {
    const f = await fixture({ challengeScope: 'mcp:read', writeScope: 'mcp:write' });
    const r = run();
    await (await r.connect(f.mcpUrl)).close();
    const c = await r.connect(f.mcpUrl, {}, false);
    const error = await c.callTool('write', {}).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(String(error)).toMatch(
      /insufficient_scope and needs a new sign-in for scope "mcp:read mcp:write": run `mcpsh auth login remote`/,
    );
  });
});

describe('the fixture authorization server', () => {
  it('verifies PKCE: a wrong code_verifier gets invalid_grant', async () => {
    const f = await fixture({ dynamicRegistration: false, preRegistered: { clientId: 'c1', clientSecret: 's1-secret' } });
    const authorize = new URL(`${f.issuer}/authorize`);
    const redirect = 'http://127.0.0.1:9/callback';
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'c1',
      redirect_uri: redirect,
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
      state: 's',
    }).toString();
    const response = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
    const token = await fetch(`${f.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: 'wrong-verifier',
        redirect_uri: redirect,
        client_id: 'c1',
        client_secret: 's1-secret',
      }),
    });
    expect(token.status).toBe(400);
    expect(await token.json()).toEqual({ error: 'invalid_grant', error_description: 'PKCE verification failed' });
  });
});
