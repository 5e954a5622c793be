// `mcpsh auth login|status|logout` and stored-token use through the built CLI, against the local
// authorization server fixture; the "browser" is a node script that follows the redirect back.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { startOAuthFixture, type OAuthFixture } from '../fixtures/auth/oauth-fixture.js';

const BROWSER = `'${process.execPath}' '${fileURLToPath(new URL('../fixtures/auth/fake-browser.mjs', import.meta.url))}'`;

let f: OAuthFixture;
let dir: string;

beforeAll(async () => {
  f = await startOAuthFixture({ scopesSupported: ['mcp:read'] });
  dir = projectWithConfig({
    browser: BROWSER,
    model: { name: 'm', baseURL: 'http://127.0.0.1:9/v1', apiKey: 'sk-unused-key' },
    mcpServers: { secure: { url: f.mcpUrl, type: 'http', required: true } },
  });
});

afterAll(async () => {
  await f?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string | undefined> = {}): ReturnType<typeof runCli> =>
  runCli(args, { cwd: dir, env: { CI: '1', ...env } });

describe('mcpsh auth', () => {
  it('without stored tokens, call and ask fail with exit 4 and the login hint; no browser, no registration', async () => {
    const call = await cli(['call', 'secure', 'whoami']);
    expect(call.code).toBe(4);
    expect(call.stderr).toContain('server secure answered HTTP 401 Unauthorized and needs sign-in (OAuth): run `mcpsh auth login secure`');
    const ask = await cli(['ask', 'hello']);
    expect(ask.code).toBe(4);
    expect(ask.stderr).toContain('run `mcpsh auth login secure`');
    expect(f.registrations).toHaveLength(0);
    expect(f.authorizeRequests).toHaveLength(0);
  });

  it('status before signing in', async () => {
    const status = await cli(['auth', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual([{ server: 'secure', url: f.mcpUrl, method: 'oauth', signedIn: false }]);
  });

  it('login opens the configured browser, stores tokens 0600, and status shows them without the token', async () => {
    const login = await cli(['auth', 'login', 'secure']);
    expect(login.stderr).toContain('Opening the browser to sign in to secure');
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(
      new RegExp(`^signed in to secure \\(issuer ${f.issuer}, scopes mcp:read, expires \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)\\n$`),
    );
    const authDir = join(dir, '.mcpsh-home', 'data', 'auth');
    const files = readdirSync(authDir);
    expect(files).toHaveLength(1);
    expect(statSync(join(authDir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(authDir).mode & 0o777).toBe(0o700);

    const status = await cli(['auth', 'status', '--json']);
    const [entry] = JSON.parse(status.stdout) as Array<Record<string, unknown>>;
    expect(entry).toMatchObject({
      server: 'secure',
      signedIn: true,
      issuer: f.issuer,
      scopes: ['mcp:read'],
      expired: false,
      refreshable: true,
      client: 'dynamic',
    });
    for (const token of f.acceptedTokens) expect(status.stdout + status.stderr).not.toContain(token);
    const text = await cli(['auth', 'status']);
    expect(text.stdout).toMatch(
      /^SERVER\s+AUTH\s+DETAILS\nsecure\s+signed in\s+http:\/\/127\.0\.0\.1:\d+\s+scopes: mcp:read\s+expires \S+\n$/,
    );
  });

  it('call uses the stored tokens without a browser', async () => {
    const before = f.authorizeRequests.length;
    const call = await cli(['call', 'secure', 'whoami']);
    expect(call.stderr).toBe('');
    expect(call.code).toBe(0);
    expect(call.stdout).toBe('whoami ok; scopes: mcp:read\n');
    expect(f.authorizeRequests).toHaveLength(before);
  });

  it('login while signed in signs in anew through the browser, with the same client registration', async () => {
    const authorizes = f.authorizeRequests.length;
    const registrations = f.registrations.length;
    const login = await cli(['auth', 'login', 'secure']);
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/^signed in to secure \(/);
    expect(f.authorizeRequests).toHaveLength(authorizes + 1);
    expect(f.registrations).toHaveLength(registrations);
    expect((await cli(['call', 'secure', 'whoami'])).stdout).toBe('whoami ok; scopes: mcp:read\n');
  });

  it('logout deletes the tokens; calls need sign-in again', async () => {
    const logout = await cli(['auth', 'logout', 'secure']);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toBe('signed out of secure: its tokens and client registration are deleted\n');
    expect(readdirSync(join(dir, '.mcpsh-home', 'data', 'auth'))).toHaveLength(0);
    const call = await cli(['call', 'secure', 'whoami']);
    expect(call.code).toBe(4);
    expect(call.stderr).toContain('run `mcpsh auth login secure`');
  });

  it('--interactive-auth lets call sign in itself; a login with --no-browser prints the URL, and when it times out the earlier tokens still work', async () => {
    const call = await cli(['call', 'secure', 'whoami', '--interactive-auth']);
    expect(call.code).toBe(0);
    expect(call.stdout).toBe('whoami ok; scopes: mcp:read\n');
    // Nobody follows the printed URL here: the bounded wait ends with a clear timeout.
    const login = await cli(['auth', 'login', 'secure', '--no-browser'], { MCPSH_AUTH_TIMEOUT: '1' });
    expect(login.stderr).toMatch(
      /To sign in to secure, open this URL in a browser:\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?response_type=code&/,
    );
    expect(login.stderr).toContain('sign-in to server secure timed out after 1s waiting for the browser to come back');
    expect(login.code).not.toBe(0);
    // The sign-in that did not finish left the earlier tokens (and their refresh token) in place.
    const after = await cli(['call', 'secure', 'whoami']);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(after.stdout).toBe('whoami ok; scopes: mcp:read\n');
    const status = JSON.parse((await cli(['auth', 'status', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(status[0]).toMatchObject({ signedIn: true, refreshable: true });
  });
});

describe('step-up (403 insufficient_scope)', () => {
  let g: OAuthFixture;
  let project: string;
  beforeAll(async () => {
    g = await startOAuthFixture({ scopesSupported: ['mcp:read'], writeScope: 'mcp:write' });
    project = projectWithConfig({ browser: BROWSER, mcpServers: { secure: { url: g.mcpUrl, type: 'http', required: true } } });
  });
  afterAll(async () => {
    await g?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('a call that needs more scope exits 4 with the login hint, then signs in again with --interactive-auth', async () => {
    const run = (args: string[]): ReturnType<typeof runCli> => runCli(args, { cwd: project, env: { CI: '1' } });
    expect((await run(['auth', 'login', 'secure'])).code).toBe(0);
    const denied = await run(['call', 'secure', 'write']);
    expect(denied.stderr).toContain(
      'server secure answered HTTP 403 insufficient_scope and needs a new sign-in for scope "mcp:read mcp:write"',
    );
    expect(denied.code).toBe(4);
    const stepped = await run(['call', 'secure', 'write', '--interactive-auth']);
    expect(stepped.code).toBe(0);
    expect(stepped.stdout).toBe('write ok; scopes: mcp:read mcp:write\n');
  });
});
