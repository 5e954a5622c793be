// The 2026-07-28 authorization rules, against the local authorization server fixture over real HTTP:
// RFC 9207 iss checked before a code is redeemed, credentials kept per issuer (a new authorization server
// means a new registration), a resource mismatch refused, offline_access only where it is supported.
import { afterEach, describe, expect, it } from 'vitest';
import { AuthStore } from '../../src/auth/store.js';
import { authRun, textOf } from '../fixtures/auth/connect.js';
import { startOAuthFixture, type FixtureOptions, type OAuthFixture } from '../fixtures/auth/oauth-fixture.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function fixture(options: FixtureOptions = {}): Promise<OAuthFixture> {
  const f = await startOAuthFixture(options);
  cleanup.push(() => f.close());
  return f;
}

describe('RFC 9207: the iss of the authorization response', () => {
  it('is accepted when it is the issuer, and when the server neither advertises nor sends it', async () => {
    for (const options of [
      { iss: 'correct', issAdvertised: true },
      { iss: 'omit', issAdvertised: false },
    ] as const) {
      const f = await fixture(options);
      const c = await authRun(cleanup).connect(f.mcpUrl);
      expect(c.state).toBe('ready');
      expect(f.tokenRequests.map((t) => `${t.grantType}:${t.ok}`)).toEqual(['authorization_code:true']);
    }
  });

  it('is refused before the code is redeemed: missing though advertised, another issuer, or the issuer with a slash added', async () => {
    for (const options of [
      { iss: 'omit', issAdvertised: true },
      { iss: 'wrong' },
      { iss: 'wrong', issAdvertised: false },
      { iss: 'normalized' },
    ] as const) {
      const f = await fixture(options);
      const c = await authRun(cleanup).connect(f.mcpUrl);
      expect(c.state, JSON.stringify(options)).toBe('failed');
      expect(c.error).toMatch(
        /did not come from the authorization server http:\/\/127\.0\.0\.1:\d+ \(RFC 9207 "iss" check\); the code was not redeemed/,
      );
      // The value that came back is attacker-controlled: it is not repeated.
      expect(c.error).not.toContain('evil.example.com');
      expect(f.authorizeRequests).toHaveLength(1);
      expect(f.tokenRequests).toHaveLength(0);
    }
  });

  it('an error response from the wrong issuer is refused without showing what it said', async () => {
    const f = await fixture({
      iss: 'wrong',
      authorizeError: { error: 'access_denied', description: 'PHISH: visit https://evil.example.com/fix' },
    });
    const c = await authRun(cleanup).connect(f.mcpUrl);
    expect(c.state).toBe('failed');
    expect(c.error).toMatch(/RFC 9207 "iss" check/);
    expect(c.error).not.toMatch(/PHISH|access_denied|evil/);
  });

  it('an error response from the right issuer is shown as the server said it', async () => {
    const f = await fixture({ authorizeError: { error: 'access_denied', description: 'the user said no' } });
    const c = await authRun(cleanup).connect(f.mcpUrl);
    expect(c.state).toBe('failed');
    expect(c.error).toContain('answered access_denied (the user said no)');
  });
});

describe('credentials are kept per authorization server', () => {
  it('registers again with a new authorization server and never shows it the old client or tokens', async () => {
    const as2 = await fixture();
    const f = await fixture({ refreshTokens: true });
    const r = authRun(cleanup);
    const first = await r.connect(f.mcpUrl);
    expect(textOf(await first.callTool('whoami', {}))).toContain('whoami ok');
    await first.close();
    const oldClient = f.registrations.length === 1 ? f.authorizeRequests[0]!.get('client_id') : undefined;

    f.migrateTo(as2);
    const second = await r.connect(f.mcpUrl);
    expect(second.state).toBe('ready');
    expect(textOf(await second.callTool('whoami', {}))).toContain('whoami ok');
    // A new registration at the new server; the old client ID and refresh token went nowhere near it.
    expect(as2.registrations).toHaveLength(1);
    expect(as2.authorizeRequests.map((q) => q.get('client_id'))).not.toContain(oldClient);
    expect(as2.tokenForms.map((form) => form.get('grant_type'))).toEqual(['authorization_code']);
    expect(f.tokenRequests.map((t) => t.grantType)).toEqual(['authorization_code']);

    const record = new AuthStore(r.env).read('remote', f.mcpUrl)!;
    expect(record.issuer).toBe(as2.issuer);
    expect(Object.keys(record.issuers).sort()).toEqual([f.issuer, as2.issuer].sort());
    expect(record.issuers[f.issuer]!.client!.client_id).toBe(oldClient);
    expect(record.issuers[as2.issuer]!.client!.client_id).not.toBe(oldClient);
  });
});

describe('what is asked for', () => {
  it('refuses a protected resource whose metadata names another resource, before any registration or token', async () => {
    const f = await fixture({ prmResource: 'https://evil.example.com/mcp' });
    const c = await authRun(cleanup).connect(f.mcpUrl);
    expect(c.state).toBe('failed');
    expect(c.error).toMatch(/names a different resource, so no token is asked for it/);
    expect(f.registrations).toHaveLength(0);
    expect(f.authorizeRequests).toHaveLength(0);
    expect(f.tokenRequests).toHaveLength(0);
  });

  it('registers as a native app with the refresh grant, and asks for offline_access only where scopes_supported lists it', async () => {
    const supported = await fixture({ scopesSupported: ['mcp:basic'], asScopesSupported: ['mcp:basic', 'offline_access'] });
    await authRun(cleanup).connect(supported.mcpUrl);
    expect(supported.registrations[0]).toMatchObject({ application_type: 'native', grant_types: ['authorization_code', 'refresh_token'] });
    expect(supported.authorizeRequests[0]!.get('scope')).toBe('mcp:basic offline_access');

    const unsupported = await fixture({ scopesSupported: ['mcp:basic'], asScopesSupported: ['mcp:basic'] });
    const c = await authRun(cleanup).connect(unsupported.mcpUrl, { scopes: ['mcp:basic', 'offline_access'] });
    expect(c.state).toBe('ready');
    expect(unsupported.authorizeRequests[0]!.get('scope')).toBe('mcp:basic');
    expect(unsupported.authorizeRequests[0]!.has('prompt')).toBe(false);
  });

  it('prefers a client ID metadata document over dynamic registration when both are possible', async () => {
    const f = await fixture({ clientIdMetadataDocuments: true, dynamicRegistration: true });
    await authRun(cleanup).connect(f.mcpUrl, { clientMetadataUrl: 'https://mcpsh.example/client.json' });
    expect(f.registrations).toHaveLength(0);
    expect(f.authorizeRequests[0]!.get('client_id')).toBe('https://mcpsh.example/client.json');
  });
});
