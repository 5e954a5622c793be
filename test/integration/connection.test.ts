// The connection layer against real servers: the reference servers from npm over stdio, Streamable HTTP
// and SSE, and the project's fixture servers (well-behaved and hostile).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { ServerConnection } from '../../src/mcp/connection.js';
import { Hub } from '../../src/mcp/hub.js';
import type { ResolvedServer } from '../../src/config/schema.js';
import { EVERYTHING, FILESYSTEM, ROOT, nodeServer, remoteServer, stdioServer } from '../helpers/config.js';
import { fixturePath, freePort, startHttpFixture } from '../helpers/fixtures.js';
import { isAlive, waitFor } from '../helpers/processes.js';

const logDir = mkdtempSync(join(tmpdir(), 'mcpsh-conn-'));
const open: Array<{ close(): Promise<void> }> = [];

function connection(config: ResolvedServer): ServerConnection {
  const c = new ServerConnection(config, {
    env: process.env,
    stderrLogPath: join(logDir, `${config.name}.log`),
    clientInfo: { name: 'mcpsh-test', version: '0' },
  });
  open.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** Starts server-everything in an HTTP mode on a free loopback port; resolves once it listens. */
async function startEverything(mode: 'streamableHttp' | 'sse'): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      if (/listening|running on port/i.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error('server-everything exited')));
  });
  const path = mode === 'sse' ? '/sse' : '/mcp';
  return { url: `http://127.0.0.1:${port}${path}`, child };
}

describe('reference servers', () => {
  it('server-everything over stdio: handshake, all tools, a call', async () => {
    const c = connection(nodeServer('everything', EVERYTHING, ['stdio']));
    await c.connect();
    expect(c.state).toBe('ready');
    expect(c.transportKind).toBe('stdio');
    expect(c.serverInfo?.name).toBe('mcp-servers/everything');
    expect(c.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const names = c.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-tiny-image']));
    const result = await c.callTool('echo', { message: 'hello' });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: hello' }]);
    expect(c.pid).toBeGreaterThan(0);
  });

  it('server-filesystem over stdio lists a directory', async () => {
    const c = connection(nodeServer('files', FILESYSTEM, [ROOT]));
    await c.connect();
    expect(c.state).toBe('ready');
    const result = await c.callTool('list_directory', { path: ROOT });
    const text = JSON.stringify(result.content);
    expect(text).toContain('package.json');
    expect(result.isError).toBeFalsy();
  });

  describe('over HTTP', () => {
    const children: ChildProcess[] = [];
    let httpUrl = '';
    let sseUrl = '';
    beforeAll(async () => {
      const [http, sse] = await Promise.all([startEverything('streamableHttp'), startEverything('sse')]);
      children.push(http.child, sse.child);
      httpUrl = http.url;
      sseUrl = sse.url;
    });
    afterAll(() => {
      for (const child of children) child.kill('SIGKILL');
    });

    it('Streamable HTTP', async () => {
      const c = connection(remoteServer('everything', httpUrl, 'http'));
      await c.connect();
      expect(c.state).toBe('ready');
      expect(c.transportKind).toBe('http');
      const result = await c.callTool('get-sum', { a: 2, b: 3 });
      expect(JSON.stringify(result.content)).toContain('5');
    });

    it('legacy SSE', async () => {
      const c = connection(remoteServer('everything', sseUrl, 'sse'));
      await c.connect();
      expect(c.state).toBe('ready');
      expect(c.transportKind).toBe('sse');
      const result = await c.callTool('echo', { message: 'over sse' });
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: over sse' }]);
    });

    it('a bare url falls back from Streamable HTTP to SSE on a 4xx', async () => {
      const c = connection(remoteServer('everything', sseUrl, 'auto'));
      await c.connect();
      expect(c.state).toBe('ready');
      expect(c.transportKind).toBe('sse');
    });

    it('a bare url uses Streamable HTTP when the server speaks it', async () => {
      const c = connection(remoteServer('everything', httpUrl, 'auto'));
      await c.connect();
      expect(c.transportKind).toBe('http');
    });
  });
});

describe('fixture servers', () => {
  it('follows tools/list through every page', async () => {
    const c = connection(nodeServer('paged', fixturePath('paginated.mjs')));
    await c.connect();
    expect(c.tools).toHaveLength(25);
    expect(new Set(c.tools.map((t) => t.name)).size).toBe(25);
  });

  it('keeps the server instructions', async () => {
    const c = connection(nodeServer('basic', fixturePath('basic.mjs')));
    await c.connect();
    expect(c.instructions).toBe('Fixture server for mcpsh tests. Use echo to repeat a message and add to sum two integers.');
  });

  it('applies includeTools and excludeTools globs', async () => {
    const c = connection(
      nodeServer('basic', fixturePath('basic.mjs'), [], { includeTools: ['ec*', 'a?d', 'fail'], excludeTools: ['fail'] }),
    );
    await c.connect();
    expect(c.tools.map((t) => t.name).sort()).toEqual(['add', 'echo']);
  });

  it('refreshes tools on notifications/tools/list_changed', async () => {
    const c = connection(nodeServer('dyn', fixturePath('list-changed.mjs')));
    await c.connect();
    const before = c.tools.length;
    let changes = 0;
    c.onToolsChanged(() => changes++);
    await c.callTool('add_tool', { name: 'brand_new' });
    await waitFor(() => c.tools.some((t) => t.name === 'brand_new'), { timeoutMs: 5000 });
    expect(c.tools.length).toBe(before + 1);
    expect(changes).toBeGreaterThan(0);
  });

  it('a server that crashes at start is failed, with its exit code and last stderr line', async () => {
    const c = connection(nodeServer('crashy', fixturePath('crash-at-start.mjs')));
    // What a state listener (the chat's notice) sees when the state turns to failed: the reason is already set.
    const seen: Array<string | undefined> = [];
    c.onStateChange((state) => {
      if (state === 'failed') seen.push(c.error);
    });
    await c.connect();
    expect(seen).toEqual([c.error]);
    expect(c.state).toBe('failed');
    expect(c.error).toMatch(/exited with code 1/);
    expect(c.error).toMatch(/: \S/); // the stderr clue follows
  });

  it('a command that does not exist is failed with "command not found"', async () => {
    const c = connection(stdioServer('ghost', 'mcpsh-no-such-command-xyz', []));
    await c.connect();
    expect(c.state).toBe('failed');
    expect(c.error).toMatch(/command not found: mcpsh-no-such-command-xyz/);
  });

  it('a server that hangs on initialize times out and its process is ended', async () => {
    const c = connection(nodeServer('hang', fixturePath('hang-on-initialize.mjs'), [], { connectTimeoutMs: 800 }));
    await c.connect();
    expect(c.state).toBe('failed');
    expect(c.error).toMatch(/did not finish starting within 0.8s \(connectTimeout\)/);
  });

  it('garbage on stdout before a valid handshake is skipped', async () => {
    const c = connection(nodeServer('noisy', fixturePath('garbage-stdout.mjs'), ['then-init']));
    await c.connect();
    expect(c.state).toBe('ready');
    expect(c.tools.length).toBeGreaterThan(0);
  });

  it('a server that only prints garbage never becomes ready', async () => {
    const c = connection(nodeServer('junk', fixturePath('garbage-stdout.mjs'), ['only-garbage'], { connectTimeoutMs: 800 }));
    await c.connect();
    expect(c.state).toBe('failed');
  });

  it('a server that exits mid-call fails the call and is marked failed', async () => {
    const c = connection(nodeServer('dies', fixturePath('exit-mid-call.mjs')));
    await c.connect();
    const tool = c.tools[0]?.name ?? 'missing';
    const error = await c.callTool(tool, {}).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SERVER_UNAVAILABLE');
    expect(c.state).toBe('failed');
    expect(c.error).toMatch(/exited|closed/);
  });

  it('a call that outlives callTimeout is a TIMEOUT error', async () => {
    const c = connection(nodeServer('basic', fixturePath('basic.mjs'), [], { callTimeoutMs: 300 }));
    await c.connect();
    const error = await c.callTool('slow', { ms: 5000 }).catch((err: unknown) => err);
    expect((error as AppError).code).toBe('TIMEOUT');
    expect((error as AppError).message).toBe('basic › slow did not answer within 0.3s');
  });

  it('progress notifications reach the caller', async () => {
    const c = connection(nodeServer('basic', fixturePath('basic.mjs')));
    await c.connect();
    const seen: number[] = [];
    await c.callTool('slow', { ms: 300 }, { onProgress: (p) => seen.push(p.progress) });
    expect(seen.length).toBeGreaterThan(0);
  });

  it('an aborted call is CANCELLED', async () => {
    const c = connection(nodeServer('basic', fixturePath('basic.mjs')));
    await c.connect();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await c.callTool('slow', { ms: 5000 }, { signal: controller.signal }).catch((err: unknown) => err);
    expect((error as AppError).code).toBe('CANCELLED');
    expect(c.state).toBe('ready');
  });

  it('stderr goes to the per-server log, not to our output', async () => {
    const c = connection(nodeServer('chatty', fixturePath('stderr-chatty.mjs')));
    await c.connect();
    expect(c.state).toBe('ready');
    await c.close();
    const log = readFileSync(join(logDir, 'chatty.log'), 'utf8');
    expect(log.split('\n').length).toBeGreaterThan(3);
  });

  it('HTTP 401, 500 and a non-MCP page each fail with a clear reason', async () => {
    const fixtures = await Promise.all([
      startHttpFixture('http-401.mjs', []),
      startHttpFixture('http-500.mjs', []),
      startHttpFixture('not-mcp-http.mjs', []),
    ]);
    open.push(...fixtures);
    const [unauth, broken, html] = fixtures.map((f, i) => connection(remoteServer(`remote${i}`, f.url, 'auto')));
    await Promise.all([unauth!.connect(), broken!.connect(), html!.connect()]);
    expect(unauth!.state).toBe('failed');
    expect(unauth!.error).toMatch(/HTTP 401 Unauthorized/);
    expect(broken!.state).toBe('failed');
    expect(broken!.error).toMatch(/HTTP 500/);
    expect(html!.state).toBe('failed');
    expect(html!.error).toMatch(/did not speak MCP \(.*Unexpected content type: text\/html/);
  });

  it('a refused connection says so', async () => {
    const port = await freePort();
    const c = connection(remoteServer('gone', `http://127.0.0.1:${port}/mcp`, 'http'));
    await c.connect();
    expect(c.state).toBe('failed');
    expect(c.error).toMatch(/connection refused|ECONNREFUSED|fetch failed/);
  });
});

describe('the hub', () => {
  it('connects in parallel; a failing server does not take the others down', async () => {
    const hub = new Hub(
      [
        nodeServer('good', fixturePath('basic.mjs')),
        nodeServer('crashy', fixturePath('crash-at-start.mjs')),
        nodeServer('hang', fixturePath('hang-on-initialize.mjs'), [], { connectTimeoutMs: 1000 }),
        { ...nodeServer('off', fixturePath('basic.mjs')), enabled: false },
      ],
      { env: process.env, logDir, clientVersion: '0' },
    );
    open.push(hub);
    await hub.connectAll();
    expect(hub.connections.map((c) => [c.name, c.state])).toEqual([
      ['good', 'ready'],
      ['crashy', 'failed'],
      ['hang', 'failed'],
      ['off', 'disabled'],
    ]);
    const names = hub.tools().map((t) => t.name);
    expect(names).toContain('good__echo');
    expect(names.every((n) => n.startsWith('good__'))).toBe(true);
    expect(hub.resolve('good__echo')).toMatchObject({ server: 'good', tool: { name: 'echo' } });
    const result = await hub.get('good')!.callTool('echo', { message: 'still here' });
    expect(JSON.stringify(result.content)).toContain('still here');
  });

  it('a config error (unset variable) marks only that server failed', async () => {
    const hub = new Hub(
      [
        nodeServer('good', fixturePath('basic.mjs')),
        { ...nodeServer('needs-token', fixturePath('basic.mjs')), configError: 'TOKEN is not set' },
      ],
      { env: process.env, logDir, clientVersion: '0' },
    );
    open.push(hub);
    await hub.connectAll();
    expect(hub.get('good')?.state).toBe('ready');
    expect(hub.get('needs-token')?.state).toBe('failed');
    expect(hub.get('needs-token')?.error).toBe('TOKEN is not set');
  });
});

describe('closing ends the whole process tree', () => {
  it('through a shell wrapper, the server and its own child are gone after close()', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'mcpsh-tree-')), 'grandchild.pid');
    const c = connection(stdioServer('wrapped', 'sh', [fixturePath('wrapper.sh'), pidFile]));
    await c.connect();
    expect(c.state).toBe('ready');
    await waitFor(() => readFileSync(pidFile, 'utf8').trim() !== '', { timeoutMs: 5000 }).catch(() => undefined);
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    const shell = c.pid!;
    expect(isAlive(grandchild)).toBe(true);
    await c.close();
    await waitFor(() => !isAlive(grandchild) && !isAlive(shell), { timeoutMs: 5000 });
    expect(isAlive(grandchild)).toBe(false);
    expect(isAlive(shell)).toBe(false);
  });

  it('a server that ignores stdin EOF and SIGTERM is still killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-stubborn-'));
    const script = join(dir, 'stubborn.mjs');
    writeFileSync(
      script,
      `process.on('SIGTERM', () => {}); process.stdin.resume(); process.stdin.on('end', () => {});
       process.stdin.on('data', (d) => { for (const line of d.toString().split('\\n')) { if (!line.trim()) continue; const m = JSON.parse(line);
         if (m.method === 'initialize') process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: {}, serverInfo: { name: 'stubborn', version: '1' } } }) + '\\n'); } });
       setInterval(() => {}, 1000);`,
    );
    const c = connection(nodeServer('stubborn', script));
    await c.connect();
    expect(c.state).toBe('ready');
    const pid = c.pid!;
    await c.close();
    await waitFor(() => !isAlive(pid), { timeoutMs: 6000 });
    expect(isAlive(pid)).toBe(false);
  });
});
