// ttlMs / cacheScope from a real 2026-07-28 server (the dual-era fixture on @modelcontextprotocol/server 2.x:
// lists ttlMs 60000 public) reach mcpsh's own caches: the connection's tool list, ServerFeatures' resource and
// prompt lists (held, so a second read sends nothing), and the on-disk tool list (hints, auth partition, era);
// the same server in the legacy era sends no hints and keeps the old behaviour.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Hub } from '../../src/mcp/hub.js';
import { ToolListCache } from '../../src/mcp/tool-cache.js';
import { nodeServer } from '../helpers/config.js';
import { connectionPool } from '../helpers/connections.js';
import { methods, startEraServer, type EraServer } from '../helpers/eras.js';

const pool = connectionPool('mcpsh-cache-hints-');
afterEach(() => pool.closeAll());

async function dualEra(era: 'modern' | 'legacy'): Promise<{ server: EraServer; config: ReturnType<typeof nodeServer> }> {
  const server = await startEraServer('dual-era.mjs', 'stdio');
  const { command, args } = server.entry as { command: string; args: string[] };
  return { server, config: nodeServer(`dual_${era}`, args[0]!, args.slice(1), { command, protocolVersion: era }) };
}

describe('cache hints from a modern server', () => {
  it('are read off the live results: tools, resources, templates and prompts; a held list is served without a request', async () => {
    const { server, config } = await dualEra('modern');
    const c = await pool.connected(config);
    expect(c.era).toBe('modern');
    expect(c.toolsHints).toEqual({ ttlMs: 60_000, scope: 'public' });
    server.clearLog();
    for (let i = 0; i < 2; i++) {
      expect((await c.features.resources()).map((r) => r.uri)).toEqual(['fixture://readme']);
      expect((await c.features.resourceTemplates()).map((t) => t.uriTemplate)).toEqual(['fixture://items/{id}']);
      expect((await c.features.prompts()).map((p) => p.name)).toEqual(['greet']);
    }
    expect(methods(server.log())).toEqual(['resources/list', 'resources/templates/list', 'prompts/list']);
    expect(c.features.heldHints('resources')).toEqual({ ttlMs: 60_000, scope: 'public' });
    expect(c.features.heldHints('prompts')).toEqual({ ttlMs: 60_000, scope: 'public' });
  });

  it('go to the on-disk tool list with the era; a public list is offered in another auth context too', async () => {
    const { config } = await dualEra('modern');
    const cache = new ToolListCache(join(mkdtempSync(join(tmpdir(), 'mcpsh-tc-')), 'tools'));
    const hub = new Hub([config], { env: process.env, logDir: pool.logDir, clientVersion: '0', toolCache: cache });
    pool.track(hub);
    await hub.connectAll();
    const c = hub.get(config.name)!;
    expect(c.state).toBe('ready');
    const mine = cache.load(config, c.partition);
    expect(mine).toMatchObject({ era: 'modern', current: true });
    expect(mine?.tools.map((t) => t.name)).toEqual(c.tools.map((t) => t.name));
    expect(cache.load(config, 'another-auth-context')?.tools).toHaveLength(c.tools.length);
  });
});

describe('the same server in the legacy era', () => {
  it('sends no hints: the tool list has none, and resource lists are held until the server says they changed', async () => {
    const { server, config } = await dualEra('legacy');
    const c = await pool.connected(config);
    expect(c.era).toBe('legacy');
    expect(c.toolsHints).toBeUndefined();
    server.clearLog();
    await c.features.resources();
    await c.features.resources();
    expect(methods(server.log())).toEqual(['resources/list']);
    expect(c.features.heldHints('resources')).toBeUndefined();
  });
});
