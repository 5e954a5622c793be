// The conformance adapter's own parts, on real processes: `mcpsh call` answering a server's elicitation
// headlessly (the elicitation scenario goes through it), the headless "browser" the auth scenarios
// configure, and the arguments the adapter makes up for a tool. The suite itself runs in scripts/conformance.mjs.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';
import { argumentsFor } from './arguments.mjs';

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
    expect(r.stderr).toBe('mcpsh: note: server elicit asked for input (form): Trip details?; accepted with the schema defaults (city, nights)\n');
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
