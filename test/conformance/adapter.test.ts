// The conformance adapter's own parts, on real processes: `mcpsh call` answering a server's elicitation
// headlessly (the elicitation scenario goes through it), the headless "browser" the auth scenarios
// configure, the arguments the adapter makes up for a tool, the config and calls it plans per scenario, and
// how the runner reads a requirement set's scenario list. The suites themselves run in scripts/conformance.mjs.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';
import { argumentsFor } from './arguments.mjs';
import { configFor, plannedCalls, secretEnv } from './config.mjs';
import { parseRequirementList } from './suites.mjs';

const BROWSER = join(ROOT, 'test/conformance/headless-browser.mjs');
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

function elicitProject(permissions: Record<string, unknown> = {}): string {
  return projectWithConfig({ mcpServers: { elicit: { command: process.execPath, args: [fixturePath('elicit.mjs')] } }, permissions });
}

describe('mcpsh call: a server asks for input mid-call', () => {
  it('answers a form with the schema defaults when permissions.elicitation is "defaults", and says so on stderr', async () => {
    const r = await runCli(['call', 'elicit', 'form'], { cwd: elicitProject({ elicitation: 'defaults' }) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ action: 'accept', content: { city: 'Lisbon', nights: 2 } });
    expect(r.stderr).toBe(
      'mcpsh: note: server elicit asked for input (form): Trip details?; accepted with the schema defaults (city, nights)\n',
    );
  });

  it('declines by default, and always declines a URL request', async () => {
    const byDefault = await runCli(['call', 'elicit', 'form'], { cwd: elicitProject() });
    expect(byDefault.code).toBe(0);
    expect(JSON.parse(byDefault.stdout)).toEqual({ action: 'decline' });
    expect(byDefault.stderr).toContain('declined (permissions.elicitation is "decline")');
    const url = await runCli(['call', 'elicit', 'url'], { cwd: elicitProject({ elicitation: 'defaults' }) });
    expect(JSON.parse(url.stdout)).toEqual({ action: 'decline' });
    expect(url.stderr).toContain('declined (ask cannot open a URL for a person)');
  });
});

async function listen(handler: (req: IncomingMessage) => { status: number; location?: string }): Promise<string> {
  const server = createServer((req, res) => {
    const { status, location } = handler(req);
    res.writeHead(status, location ? { location } : {}).end(status === 200 ? 'signed in' : '');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function runBrowser(url: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BROWSER, url], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('test/conformance/headless-browser.mjs', () => {
  it('follows the authorization redirect to the loopback listener, without printing the code', async () => {
    const seen: string[] = [];
    const loopback = await listen((req) => {
      seen.push(req.url ?? '');
      return { status: 200 };
    });
    const auth = await listen((req) => {
      const state = new URL(req.url ?? '/', 'http://x').searchParams.get('state') ?? '';
      return { status: 302, location: `${loopback}/callback?code=secret-code&state=${state}` };
    });
    const r = await runBrowser(`${auth}/authorize?client_id=c&state=s1`);
    expect(r.code).toBe(0);
    expect(seen).toEqual(['/callback?code=secret-code&state=s1']);
    expect(r.stderr).toContain(`GET ${loopback}/callback -> 200`);
    expect(r.stderr).not.toContain('secret-code');
  });

  it('fails when the listener rejects the redirect', async () => {
    const loopback = await listen(() => ({ status: 400 }));
    const auth = await listen(() => ({ status: 302, location: `${loopback}/callback?error=access_denied` }));
    expect((await runBrowser(`${auth}/authorize`)).code).toBe(1);
  });
});

describe('test/conformance/arguments.mjs', () => {
  it('fills each required property from its default, enum or type, and leaves optional ones out', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'number' },
        b: { type: 'integer', minimum: 5 },
        mode: { type: 'string', enum: ['fast', 'slow'] },
        name: { type: 'string', default: 'x' },
        nested: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
        optional: { type: 'string' },
      },
      required: ['a', 'b', 'mode', 'name', 'nested'],
    };
    expect(argumentsFor(schema)).toEqual({ a: 1, b: 5, mode: 'fast', name: 'x', nested: { ok: true } });
    expect(argumentsFor({ type: 'object' })).toEqual({});
  });
});

describe('test/conformance/config.mjs', () => {
  const URL_ = 'http://localhost:1/mcp';
  const acceptsAll = (): true => true;

  it("writes the suite's revision as the server's protocolVersion, and nothing when the suite names none", () => {
    const modern = configFor('tools_call', URL_, {}, { revision: '2026-07-28', accepts: acceptsAll });
    expect(modern.config.mcpServers.conformance).toEqual({ url: URL_, protocolVersion: '2026-07-28' });
    expect(modern.gaps).toEqual([]);
    const legacy = configFor('tools_call', URL_, {}, { revision: '2025-11-25', accepts: acceptsAll });
    expect(legacy.config.mcpServers.conformance?.protocolVersion).toBe('2025-11-25');
    expect(configFor('tools_call', URL_, {}, { accepts: acceptsAll }).config.mcpServers.conformance).toEqual({ url: URL_ });
  });

  it('falls back to the era word when the schema refuses the dated version, and names a gap when it refuses both', () => {
    const eraOnly = (e: Record<string, unknown>): true | string =>
      e.protocolVersion === 'modern' || !('protocolVersion' in e) ? true : 'Invalid option';
    const fallback = configFor('tools_call', URL_, {}, { revision: '2026-07-28', accepts: eraOnly });
    expect(fallback.config.mcpServers.conformance?.protocolVersion).toBe('modern');
    expect(fallback.gaps).toEqual([]);
    const none = (e: Record<string, unknown>): true | string => ('protocolVersion' in e ? 'Unrecognized key: "protocolVersion"' : true);
    const refused = configFor('tools_call', URL_, {}, { revision: '2026-07-28', accepts: none });
    expect(refused.config.mcpServers.conformance).toEqual({ url: URL_ });
    expect(refused.gaps).toEqual([
      'protocolVersion: this build refuses "2026-07-28" (Unrecognized key: "protocolVersion"), "modern" (Unrecognized key: "protocolVersion")',
    ]);
  });

  it('maps the enterprise-managed context to an idp block whose ID token stays out of the file', () => {
    const ctx = {
      client_id: 'c',
      client_secret: 's',
      idp_client_id: 'idp-c',
      idp_id_token: 'eyJ.secret.token',
      idp_issuer: 'http://idp',
      idp_token_endpoint: 'http://idp/token',
    };
    const { config, gaps } = configFor('auth/enterprise-managed-authorization', URL_, ctx, { accepts: acceptsAll, browser: 'b' });
    expect(config.mcpServers.conformance?.oauth).toEqual({
      clientId: 'c',
      clientSecret: 's',
      grantType: 'enterprise',
      idp: { issuer: 'http://idp', clientId: 'idp-c', idToken: '${CONFORMANCE_IDP_ID_TOKEN}', tokenEndpoint: 'http://idp/token' },
    });
    expect(JSON.stringify(config)).not.toContain('eyJ.secret.token');
    expect(secretEnv(ctx)).toEqual({ CONFORMANCE_IDP_ID_TOKEN: 'eyJ.secret.token' });
    expect(gaps).toEqual([]);
    expect(config.browser).toBe('b');
  });

  it('leaves out an OAuth setting the schema refuses, and names it', () => {
    const noDpop = (e: Record<string, unknown>): true | string => (JSON.stringify(e).includes('dpop') ? 'Unrecognized key: "dpop"' : true);
    const { config, gaps } = configFor('auth/dpop', URL_, {}, { accepts: noDpop });
    expect(config.mcpServers.conformance).toEqual({ url: URL_ });
    expect(gaps).toEqual(['oauth.dpop true: Unrecognized key: "dpop"']);
  });

  it("calls what the context lists verbatim (nulls included), echoes the focal tool's schema untouched, else every tool", () => {
    const toolCalls = [{ name: 'test_custom_headers_null', arguments: { region: 'us-east1', verbose: null } }];
    expect(plannedCalls('http-custom-headers', { toolCalls }, [])).toEqual([
      { tool: 'test_custom_headers_null', args: { region: 'us-east1', verbose: null } },
    ]);
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: { a: { $anchor: 'x' } },
      additionalProperties: false,
      if: {},
      then: {},
      else: {},
    };
    const tools = [
      { tool: 'json_schema_2020_12_tool', inputSchema: schema },
      { tool: 'json_schema_echo', inputSchema: { type: 'object', properties: { schema: { type: 'object' } }, required: ['schema'] } },
    ];
    expect(plannedCalls('json-schema-2020-12-preservation', {}, tools)).toEqual([{ tool: 'json_schema_echo', args: { schema } }]);
    expect(
      plannedCalls('tools_call', {}, [
        { tool: 'add', inputSchema: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] } },
      ]),
    ).toEqual([{ tool: 'add', args: { a: 1 }, okCodes: [0] }]);
  });
});

describe('test/conformance/suites.mjs', () => {
  it("reads a requirement set's client scenarios: required, then the [client] extension and added-after-release ones", () => {
    const listing = [
      'Required for 2026-07-28 (69 scenarios, frozen; run at the 2026-07-28 wire):',
      '',
      'Server scenarios (test against a server):',
      '  - server-stateless',
      '',
      'Client scenarios (test against a client):',
      '  - tools_call',
      '  - auth/iss-supported',
      '',
      'Run and reported, but never scored:',
      '  extension (3):',
      '    - auth/dpop [client]',
      '    - tasks-lifecycle [server]',
      '    - auth/wif-jwt-bearer [client]',
      '  added-after-release (1):',
      '    - json-schema-2020-12-preservation [client]',
      '  pending (2):',
      '    - json-schema-2020-12 [server]',
      '    - some-future-client [client]',
      '',
    ].join('\n');
    expect(parseRequirementList(listing)).toEqual([
      { name: 'tools_call', kind: 'required' },
      { name: 'auth/iss-supported', kind: 'required' },
      { name: 'auth/dpop', kind: 'extension' },
      { name: 'auth/wif-jwt-bearer', kind: 'extension' },
      { name: 'json-schema-2020-12-preservation', kind: 'added-after-release' },
    ]);
  });
});
