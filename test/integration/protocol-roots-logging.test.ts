// Client capabilities, roots and logging over real stdio: what mcpsh declares, roots/list answers and
// roots/list_changed, logging/setLevel from the config, and notifications/message in the server's log.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Hub } from '../../src/mcp/hub.js';
import { addSecrets } from '../../src/policy/redact.js';
import type { ResolvedServer } from '../../src/config/schema.js';
import { EVERYTHING, nodeServer, remoteServer } from '../helpers/config.js';
import { fixturePath, freePort } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/processes.js';

const open: Hub[] = [];
const children: ChildProcess[] = [];

async function hubWith(servers: ResolvedServer[], extra: { cwd?: string; roots?: string[] } = {}): Promise<{ hub: Hub; logDir: string }> {
  const logDir = mkdtempSync(join(tmpdir(), 'mcpsh-roots-'));
  // Servers defined in a project config in `cwd` are offered that directory (src/mcp/roots.ts).
  const project = extra.cwd ? join(extra.cwd, 'mcp.config.json') : undefined;
  const placed = project ? servers.map((s) => ({ ...s, source: project })) : servers;
  const hub = new Hub(placed, { env: process.env, logDir, clientVersion: '0', ...extra, ...(project ? { projectFiles: [project] } : {}) });
  open.push(hub);
  await hub.connectAll();
  for (const c of hub.connections) expect(c.state).toBe('ready');
  return { hub, logDir };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** server-everything over Streamable HTTP on a free loopback port; resolves with its URL once it listens. */
async function startEverythingHttp(): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server-everything did not start')), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      if (/listening|running on port/i.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error('server-everything exited')));
  });
  return `http://127.0.0.1:${port}/mcp`;
}

function text(result: { content: unknown[] }): string {
  const first = result.content[0] as { type: string; text?: string };
  return first.text ?? '';
}

describe('client capabilities and roots', () => {
  it('declares roots (so server-everything offers get-roots-list) and not sampling or elicitation', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpsh-cwd-'));
    const { hub } = await hubWith([nodeServer('everything', EVERYTHING, ['stdio'])], { cwd });
    const c = hub.get('everything');
    if (!c) throw new Error('no connection');
    // Its conditional tools are registered after initialization, then announced with list_changed.
    await waitFor(() => c.tools.some((t) => t.name === 'get-roots-list'), { timeoutMs: 5000 });
    const names = c.tools.map((t) => t.name);
    expect(names).not.toContain('trigger-sampling-request');
    expect(names).not.toContain('trigger-elicitation-request');
    const result = await c.callTool('get-roots-list', {});
    expect(text(result)).toContain(`URI: ${pathToFileURL(cwd).href}`);
    expect(text(result)).toContain('Current MCP Roots (1 total)');
  });

  it('answers roots/list with the project directory and the configured roots, and announces setRoots', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpsh-cwd-'));
    const { hub } = await hubWith([nodeServer('paged', fixturePath('paged-resources.mjs'))], { cwd, roots: ['sub', '/srv/data'] });
    expect(JSON.parse(text(await hub.callTool('paged', 'roots', {})))).toEqual([
      { uri: pathToFileURL(cwd).href, name: cwd.split('/').pop() },
      { uri: pathToFileURL(join(cwd, 'sub')).href, name: 'sub' },
      { uri: 'file:///srv/data', name: 'data' },
    ]);
    await hub.setRoots(['/tmp/other']);
    expect(JSON.parse(text(await hub.callTool('paged', 'roots', {})))).toEqual([{ uri: 'file:///tmp/other', name: 'other' }]);
  });

  it('server-everything asks again on notifications/roots/list_changed', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpsh-cwd-'));
    const { hub } = await hubWith([nodeServer('everything', EVERYTHING, ['stdio'])], { cwd });
    const c = hub.get('everything');
    if (!c) throw new Error('no connection');
    await waitFor(() => c.tools.some((t) => t.name === 'get-roots-list'), { timeoutMs: 5000 });
    expect(text(await c.callTool('get-roots-list', {}))).toContain('(1 total)');
    await hub.setRoots([cwd, '/tmp/second-root']);
    await waitFor(async () => text(await c.callTool('get-roots-list', {})).includes('URI: file:///tmp/second-root'), { timeoutMs: 5000 });
    expect(text(await c.callTool('get-roots-list', {}))).toContain('(2 total)');
  });
});

describe('logging', () => {
  it('sends logging/setLevel from the config, and only to servers that offer logging', async () => {
    const { hub } = await hubWith([
      nodeServer('paged', fixturePath('paged-resources.mjs'), [], { logLevel: 'warning' }),
      nodeServer('basic', fixturePath('basic.mjs'), [], { logLevel: 'debug' }),
    ]);
    expect(text(await hub.callTool('paged', 'level', {}))).toBe('warning');
    // basic does not declare logging: no setLevel is sent, and it is ready all the same.
    expect(hub.get('basic')?.state).toBe('ready');
  });

  it('without logLevel no setLevel is sent', async () => {
    const { hub } = await hubWith([nodeServer('paged', fixturePath('paged-resources.mjs'))]);
    expect(text(await hub.callTool('paged', 'level', {}))).toBe('none');
  });

  it('notifications/message lands redacted in the server log file', async () => {
    addSecrets(['sekrit-log-token-42']);
    const { hub, logDir } = await hubWith([nodeServer('paged', fixturePath('paged-resources.mjs'))]);
    await hub.callTool('paged', 'log', { text: 'disk almost full, token sekrit-log-token-42', level: 'warning' });
    const file = join(logDir, 'paged.log');
    await waitFor(() => readFileSync(file, 'utf8').includes('disk almost full'), { timeoutMs: 5000 });
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => l.includes('disk almost full')) ?? '';
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[warning\] fixture: disk almost full, token \*\*\*$/);
  });

  it('server-everything logs the roots it received at info level into the same file', async () => {
    const { hub, logDir } = await hubWith([nodeServer('everything', EVERYTHING, ['stdio'], { logLevel: 'debug' })], {
      cwd: mkdtempSync(join(tmpdir(), 'mcpsh-cwd-')),
    });
    const c = hub.get('everything');
    if (!c) throw new Error('no connection');
    await waitFor(() => c.tools.some((t) => t.name === 'get-roots-list'), { timeoutMs: 5000 });
    await c.callTool('get-roots-list', {});
    const file = join(logDir, 'everything.log');
    await waitFor(() => readFileSync(file, 'utf8').includes('[info] everything-server: Roots updated: 1 root(s) received from client'), {
      timeoutMs: 5000,
    });
  });

  it('a remote server (Streamable HTTP) logs into logDir/<server>.log as well', async () => {
    const url = await startEverythingHttp();
    const { hub, logDir } = await hubWith([remoteServer('remote', url, 'http', { logLevel: 'info' })], {
      cwd: mkdtempSync(join(tmpdir(), 'mcpsh-cwd-')),
    });
    const c = hub.get('remote');
    if (!c) throw new Error('no connection');
    await waitFor(() => c.tools.some((t) => t.name === 'get-roots-list'), { timeoutMs: 5000 });
    await c.callTool('get-roots-list', {});
    const file = join(logDir, 'remote.log');
    await waitFor(
      () => {
        try {
          return readFileSync(file, 'utf8').includes('[info] everything-server: Roots updated: 1 root(s) received from client');
        } catch {
          return false;
        }
      },
      { timeoutMs: 5000 },
    );
  });
});
