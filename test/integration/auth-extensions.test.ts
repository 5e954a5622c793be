// The authorization extensions end to end over real HTTP on 127.0.0.1: workload identity (the JWT bearer
// grant with a supplied assertion), enterprise-managed authorization (token exchange at an identity
// provider, then the JWT bearer grant), and DPoP (proofs at the token endpoint and on every MCP request).
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthStore } from '../../src/auth/store.js';
import { redact } from '../../src/policy/redact.js';
import { authRun, textOf } from '../fixtures/auth/connect.js';
import { startIdpFixture } from '../fixtures/auth/idp-fixture.js';
import {
  AS_NONCE,
  JWT_BEARER,
  RS_NONCE,
  startOAuthFixture,
  type FixtureOptions,
  type OAuthFixture,
} from '../fixtures/auth/oauth-fixture.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function fixture(options: FixtureOptions = {}): Promise<OAuthFixture> {
  const f = await startOAuthFixture(options);
  cleanup.push(() => f.close());
  return f;
}

const WORKLOAD_JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ3b3JrbG9hZCJ9.c2lnbmF0dXJlLXdvcmtsb2Fk';

describe('workload identity: the JWT bearer grant', () => {
  it('sends the configured assertion with the jwt-bearer grant type, resource and scope; no browser, no registration', async () => {
    const f = await fixture({ jwtBearerAssertion: WORKLOAD_JWT, publicClients: ['workload-1'], dynamicRegistration: false });
    const r = authRun(cleanup);
    const c = await r.connect(
      f.mcpUrl,
      { grantType: 'jwt-bearer', clientId: 'workload-1', assertion: WORKLOAD_JWT, scopes: ['mcp:tools'] },
      false,
    );
    expect(c.state).toBe('ready');
    expect(textOf(await c.callTool('whoami', {}))).toBe('whoami ok; scopes: mcp:tools');
    const form = f.tokenForms[0]!;
    expect(Object.fromEntries(form)).toEqual({
      grant_type: JWT_BEARER,
      assertion: WORKLOAD_JWT,
      scope: 'mcp:tools',
      resource: f.mcpUrl,
      client_id: 'workload-1',
    });
    expect(f.registrations).toHaveLength(0);
    expect(f.authorizeRequests).toHaveLength(0);
    expect(redact(`x ${WORKLOAD_JWT}`)).toBe('x ***');
  });

  it('reads the assertion fresh from a file or a command, relative to the config file', async () => {
    const f = await fixture({ jwtBearerAssertion: WORKLOAD_JWT, publicClients: ['workload-1'] });
    const r = authRun(cleanup);
    writeFileSync(join(r.dir, 'token.jwt'), `${WORKLOAD_JWT}\n`);
    const source = join(r.dir, 'mcp.config.json');
    const byFile = await r.connect(f.mcpUrl, { grantType: 'jwt-bearer', clientId: 'workload-1', assertionFile: 'token.jwt' }, false, {
      source,
    });
    expect(byFile.state).toBe('ready');
    await byFile.close();
    writeFileSync(join(r.dir, 'get-token.sh'), `#!/bin/sh\ncat token.jwt\n`);
    chmodSync(join(r.dir, 'get-token.sh'), 0o755);
    new AuthStore(r.env).remove('remote');
    const byCommand = await r.connect(
      f.mcpUrl,
      { grantType: 'jwt-bearer', clientId: 'workload-1', assertionCommand: './get-token.sh' },
      false,
      { source },
    );
    expect(byCommand.state).toBe('ready');
    expect(f.tokenForms.map((form) => form.get('assertion'))).toEqual([WORKLOAD_JWT, WORKLOAD_JWT]);
  });

  it('reports a refused assertion once: no retry, no other grant', async () => {
    const f = await fixture({ jwtBearerAssertion: 'the-right-one', publicClients: ['workload-1'] });
    const c = await authRun(cleanup).connect(f.mcpUrl, { grantType: 'jwt-bearer', clientId: 'workload-1', assertion: WORKLOAD_JWT }, false);
    expect(c.state).toBe('failed');
    expect(c.error).toMatch(/invalid_grant/);
    expect(f.tokenForms.map((form) => form.get('grant_type'))).toEqual([JWT_BEARER]);
  });

  it('says what is missing when no assertion is configured', async () => {
    const f = await fixture({ jwtBearerAssertion: WORKLOAD_JWT });
    const c = await authRun(cleanup).connect(f.mcpUrl, { grantType: 'jwt-bearer', clientId: 'workload-1' }, false);
    expect(c.state).toBe('failed');
    expect(c.error).toContain('oauth.grantType "jwt-bearer" needs oauth.assertion, assertionFile or assertionCommand');
    expect(f.tokenForms).toHaveLength(0);
  });
});

describe('enterprise-managed authorization', () => {
  it('exchanges the ID token at the identity provider for a grant for this server, then redeems it with client_secret_basic', async () => {
    // The IdP is started first and learns the authorization server's issuer and the resource once they exist.
    const as: { f?: OAuthFixture } = {};
    const idp = await startIdpFixture({
      idToken: 'id-token-of-alice-123',
      clientId: 'mcpsh-at-idp',
      clientSecret: 'idp-secret-456',
      grant: 'jag-for-this-server',
      audience: () => as.f?.issuer ?? '',
      resource: () => as.f?.mcpUrl ?? '',
    });
    cleanup.push(() => idp.close());
    const f = (as.f = await fixture({
      jwtBearerAssertion: 'jag-for-this-server',
      preRegistered: { clientId: 'mcpsh-at-as', clientSecret: 'as-secret-789' },
      tokenAuthMethods: ['client_secret_basic'],
      dynamicRegistration: false,
    }));
    const c = await authRun(cleanup).connect(
      f.mcpUrl,
      {
        grantType: 'enterprise',
        clientId: 'mcpsh-at-as',
        clientSecret: 'as-secret-789',
        scopes: ['mcp:tools'],
        idp: { issuer: idp.issuer, clientId: 'mcpsh-at-idp', clientSecret: 'idp-secret-456', idToken: 'id-token-of-alice-123' },
      },
      false,
    );
    expect(c.state).toBe('ready');
    expect(textOf(await c.callTool('whoami', {}))).toBe('whoami ok; scopes: mcp:tools');
    // The IdP checked every token-exchange parameter (audience = the AS issuer, resource = this server).
    expect(idp.requests).toHaveLength(1);
    expect(idp.requests[0]!.get('scope')).toBe('mcp:tools');
    expect(f.tokenRequests).toEqual([{ grantType: JWT_BEARER, clientAuth: 'basic', resource: f.mcpUrl, ok: true }]);
    expect(f.tokenForms[0]!.get('assertion')).toBe('jag-for-this-server');
  });

  it('uses the configured token endpoint, and reports the identity provider refusing', async () => {
    const as: { f?: OAuthFixture } = {};
    const idp = await startIdpFixture({
      idToken: 'the-real-id-token',
      clientId: 'mcpsh-at-idp',
      grant: 'jag-1',
      audience: () => as.f?.issuer ?? '',
      resource: () => as.f?.mcpUrl ?? '',
    });
    cleanup.push(() => idp.close());
    const f = (as.f = await fixture({
      jwtBearerAssertion: 'jag-1',
      preRegistered: { clientId: 'mcpsh-at-as', clientSecret: 'as-secret-789' },
    }));
    const c = await authRun(cleanup).connect(
      f.mcpUrl,
      {
        grantType: 'enterprise',
        clientId: 'mcpsh-at-as',
        clientSecret: 'as-secret-789',
        idp: {
          issuer: 'http://127.0.0.1:9/unused',
          tokenEndpoint: idp.tokenEndpoint,
          clientId: 'mcpsh-at-idp',
          idToken: 'a-stale-id-token',
        },
      },
      false,
    );
    expect(c.state).toBe('failed');
    expect(c.error).toMatch(/identity provider .* did not exchange the ID token: .*subject_token is wrong/);
    expect(idp.requests).toHaveLength(1);
    expect(f.tokenForms).toHaveLength(0);
  });
});

describe('DPoP', () => {
  it('binds the token to a key: a proof at the token endpoint, `DPoP <token>` and a fresh proof on every request', async () => {
    const f = await fixture({ dpop: {} });
    const r = authRun(cleanup);
    const c = await r.connect(f.mcpUrl);
    expect(c.state).toBe('ready');
    expect(textOf(await c.callTool('whoami', {}))).toContain('whoami ok');
    expect(f.dpopProofs.filter((p) => p.at === 'token')).toEqual([{ at: 'token', ok: true }]);
    const resource = f.dpopProofs.filter((p) => p.at === 'resource');
    expect(resource.length).toBeGreaterThanOrEqual(2);
    expect(resource.every((p) => p.ok)).toBe(true);
    expect(new Set(f.acceptedSchemes)).toEqual(new Set(['DPoP']));

    // The key is kept 0600 beside the tokens, so the next run's proofs still match the bound token.
    const store = new AuthStore(r.env);
    const record = store.read('remote', f.mcpUrl)!;
    expect(record.issuers[f.issuer]!.tokens!.token_type).toBe('DPoP');
    expect(record.issuers[f.issuer]!.dpopKey?.privateJwk.d).toBeDefined();
    expect(statSync(store.fileFor('remote')).mode & 0o777).toBe(0o600);
    await c.close();
    const again = await r.connect(f.mcpUrl, {}, false);
    expect(textOf(await again.callTool('whoami', {}))).toContain('whoami ok');
    expect(f.tokenRequests).toHaveLength(1);
  });

  it('retries once with the nonce the authorization server and the MCP server ask for', async () => {
    const f = await fixture({ dpop: { requireNonce: true } });
    const c = await authRun(cleanup).connect(f.mcpUrl);
    expect(c.state).toBe('ready');
    expect(textOf(await c.callTool('whoami', {}))).toContain('whoami ok');
    const token = f.dpopProofs.filter((p) => p.at === 'token');
    expect(token.map((p) => p.nonce)).toEqual([undefined, AS_NONCE]);
    const resource = f.dpopProofs.filter((p) => p.at === 'resource');
    // The first request learns the nonce; every later proof carries it without another challenge.
    expect(resource[0]!.nonce).toBeUndefined();
    expect(resource.slice(1).every((p) => p.ok && p.nonce === RS_NONCE)).toBe(true);
    expect(resource.filter((p) => p.nonce === undefined)).toHaveLength(1);
  });

  it('works with a machine grant too, and is off with dpop: false', async () => {
    const f = await fixture({ dpop: {}, preRegistered: { clientId: 'robot', clientSecret: 'robot-secret-1' } });
    const c = await authRun(cleanup).connect(
      f.mcpUrl,
      { grantType: 'client_credentials', clientId: 'robot', clientSecret: 'robot-secret-1' },
      false,
    );
    expect(textOf(await c.callTool('whoami', {}))).toContain('whoami ok');
    expect(f.acceptedSchemes.every((s) => s === 'DPoP')).toBe(true);

    const plain = await fixture({ dpop: {}, preRegistered: { clientId: 'robot', clientSecret: 'robot-secret-1' } });
    // The fixture refuses a token request without a proof: dpop: false sends none.
    const off = await authRun(cleanup).connect(
      plain.mcpUrl,
      { grantType: 'client_credentials', clientId: 'robot', clientSecret: 'robot-secret-1', dpop: false },
      false,
    );
    expect(off.state).toBe('failed');
    expect(plain.dpopProofs).toEqual([{ at: 'token', ok: false, error: 'no DPoP header' }]);
  });
});
