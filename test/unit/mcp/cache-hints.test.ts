// ttlMs / cacheScope as mcpsh's own caches read them: the accessor's resolution, the on-disk tool list (stored
// hints, "current" only within the TTL, a private list never offered in another auth context), and the
// in-memory resource/prompt lists of ServerFeatures (re-read once the TTL has passed or in another context).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { cacheHintsOf, MAX_CACHE_TTL_MS } from '../../../src/mcp/cache-hints.js';
import { ServerFeatures } from '../../../src/mcp/features.js';
import { ToolListCache } from '../../../src/mcp/tool-cache.js';
import { nodeServer } from '../../helpers/config.js';

describe('cacheHintsOf', () => {
  it('is undefined for a result with neither field (legacy era, tools/call)', () => {
    expect(cacheHintsOf({ tools: [] })).toBeUndefined();
    expect(cacheHintsOf(undefined)).toBeUndefined();
  });

  it('resolves as the spec says: bad or missing ttlMs is 0, missing or unknown scope is private, TTL capped at 24 h', () => {
    expect(cacheHintsOf({ ttlMs: 60_000, cacheScope: 'public' })).toEqual({ ttlMs: 60_000, scope: 'public' });
    expect(cacheHintsOf({ cacheScope: 'public' })).toEqual({ ttlMs: 0, scope: 'public' });
    expect(cacheHintsOf({ ttlMs: -5 })).toEqual({ ttlMs: 0, scope: 'private' });
    expect(cacheHintsOf({ ttlMs: '600', cacheScope: 'everyone' })).toEqual({ ttlMs: 0, scope: 'private' });
    expect(cacheHintsOf({ ttlMs: Number.POSITIVE_INFINITY, cacheScope: 'public' })).toEqual({ ttlMs: 0, scope: 'public' });
    expect(cacheHintsOf({ ttlMs: 30 * 86_400_000, cacheScope: 'public' })).toEqual({ ttlMs: MAX_CACHE_TTL_MS, scope: 'public' });
  });
});

describe('ToolListCache and the server hints', () => {
  const server = nodeServer('srv', '/nonexistent/server.mjs');
  const tools = [{ name: 'echo', inputSchema: { type: 'object' as const } }];
  const fresh = (): { cache: ToolListCache; dir: string; clock: { now: number } } => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-tc-hints-'));
    const clock = { now: 1_000_000 };
    return { cache: new ToolListCache(dir, () => clock.now), dir, clock };
  };

  it('stores ttlMs, cacheScope, the auth partition and the era beside the list', () => {
    const { cache, dir } = fresh();
    cache.save(server, tools, 'use echo', { partition: 'p1', hints: { ttlMs: 60_000, scope: 'public' }, era: 'modern' });
    const [file] = readdirSync(dir);
    expect(JSON.parse(readFileSync(join(dir, file!), 'utf8'))).toMatchObject({
      ttlMs: 60_000,
      cacheScope: 'public',
      partition: 'p1',
      era: 'modern',
      instructions: 'use echo',
    });
  });

  it('past its TTL the list is still the "while starting" hint, marked not current', () => {
    const { cache, clock } = fresh();
    cache.save(server, tools, undefined, { partition: 'p1', hints: { ttlMs: 60_000, scope: 'private' }, era: 'modern' });
    expect(cache.load(server, 'p1')).toMatchObject({ tools, current: true, era: 'modern' });
    clock.now += 60_000;
    expect(cache.load(server, 'p1')).toMatchObject({ tools, current: false });
    // ttlMs 0: immediately stale, still a hint.
    cache.save(server, tools, undefined, { partition: 'p1', hints: { ttlMs: 0, scope: 'private' } });
    expect(cache.load(server, 'p1')?.current).toBe(false);
  });

  it('a private list (or one without hints) is never offered in another auth context; a public one is', () => {
    const { cache } = fresh();
    cache.save(server, tools, undefined, { partition: 'alice', hints: { ttlMs: 60_000, scope: 'private' }, era: 'modern' });
    expect(cache.load(server, 'alice')?.tools).toEqual(tools);
    expect(cache.load(server, 'bob')).toBeUndefined();
    cache.save(server, tools, undefined, { partition: 'alice', era: 'legacy' });
    expect(cache.load(server, 'alice')).toMatchObject({ tools, current: true });
    expect(cache.load(server, 'bob')).toBeUndefined();
    cache.save(server, tools, undefined, { partition: 'alice', hints: { ttlMs: 60_000, scope: 'public' }, era: 'modern' });
    expect(cache.load(server, 'bob')?.tools).toEqual(tools);
  });
});

describe('ServerFeatures lists and the server hints', () => {
  /** A fake Client answering resources/list with the given hints, counting the requests. */
  function setup(hints: Record<string, unknown>) {
    const clock = { now: 0 };
    let partition = 'alice';
    const calls = { resources: 0 };
    const client = {
      listResources: () => {
        calls.resources += 1;
        return Promise.resolve({ resources: [{ uri: `fixture://r${calls.resources}`, name: 'r' }], ...hints });
      },
    } as unknown as Client;
    const features = new ServerFeatures({
      name: () => 'srv',
      capabilities: () => ({ resources: {} }),
      requireClient: () => client,
      partition: () => partition,
      now: () => clock.now,
    });
    return { features, clock, calls, setPartition: (p: string) => (partition = p) };
  }

  it('serves the held list within ttlMs and reads it again once it has passed', async () => {
    const { features, clock, calls } = setup({ ttlMs: 60_000, cacheScope: 'public' });
    expect((await features.resources()).map((r) => r.uri)).toEqual(['fixture://r1']);
    clock.now = 59_999;
    await features.resources();
    expect(calls.resources).toBe(1);
    clock.now = 60_000;
    expect((await features.resources()).map((r) => r.uri)).toEqual(['fixture://r2']);
    expect(features.heldHints('resources')).toEqual({ ttlMs: 60_000, scope: 'public' });
  });

  it('ttlMs 0 means every read asks the server', async () => {
    const { features, calls } = setup({ ttlMs: 0, cacheScope: 'public' });
    await features.resources();
    await features.resources();
    expect(calls.resources).toBe(2);
  });

  it('a private list is read again in another auth context; a public one is shared', async () => {
    const priv = setup({ ttlMs: 60_000, cacheScope: 'private' });
    await priv.features.resources();
    priv.setPartition('bob');
    await priv.features.resources();
    expect(priv.calls.resources).toBe(2);
    const pub = setup({ ttlMs: 60_000, cacheScope: 'public' });
    await pub.features.resources();
    pub.setPartition('bob');
    await pub.features.resources();
    expect(pub.calls.resources).toBe(1);
  });

  it('without hints (legacy) the list is held until the server says it changed', async () => {
    const { features, clock, calls } = setup({});
    await features.resources();
    clock.now = 10 * 86_400_000;
    await features.resources();
    expect(calls.resources).toBe(1);
    await features.handleListChanged('resources');
    expect(calls.resources).toBe(2);
  });
});
