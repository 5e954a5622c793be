import type { Tool } from '../../../src/mcp/types.js';
import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../../src/mcp/response-cache.js';

const P = 'partition-a';
const tool = (name: string, annotations?: Tool['annotations']): Tool => ({
  name,
  inputSchema: { type: 'object' },
  ...(annotations ? { annotations } : {}),
});

describe('ResponseCache', () => {
  it('caches only read-only + idempotent tools, or tools the config lists', () => {
    const cache = new ResponseCache(1000, ['lookup_*']);
    expect(cache.cacheable(tool('query', { readOnlyHint: true, idempotentHint: true }))).toBe(true);
    expect(cache.cacheable(tool('query', { readOnlyHint: true }))).toBe(false);
    expect(cache.cacheable(tool('delete', { idempotentHint: true }))).toBe(false);
    expect(cache.cacheable(tool('lookup_user'))).toBe(true);
    expect(cache.cacheable(tool('write'))).toBe(false);
  });

  it('returns a copy of a fresh result for the same arguments (key order aside), and forgets it after the TTL', () => {
    let now = 0;
    const cache = new ResponseCache(1000, [], () => now);
    cache.set('q', { a: 1, b: 2 }, { content: [{ type: 'text', text: 'r1' }] }, P);
    const hit = cache.get('q', { b: 2, a: 1 }, P);
    expect(hit).toEqual({ content: [{ type: 'text', text: 'r1' }] });
    hit!.content.push({ type: 'text', text: 'mutated' });
    expect(cache.get('q', { a: 1, b: 2 }, P)?.content).toHaveLength(1);
    expect(cache.get('q', { a: 2, b: 2 }, P)).toBeUndefined();
    now = 1001;
    expect(cache.get('q', { a: 1, b: 2 }, P)).toBeUndefined();
  });

  it('never keeps error results', () => {
    const cache = new ResponseCache(1000, []);
    cache.set('q', {}, { content: [{ type: 'text', text: 'bad' }], isError: true }, P);
    expect(cache.get('q', {}, P)).toBeUndefined();
  });

  it('stays bounded', () => {
    const cache = new ResponseCache(60_000, []);
    for (let i = 0; i < 1000; i++) cache.set('q', { i }, { content: [] }, P);
    expect(cache.get('q', { i: 0 }, P)).toBeUndefined();
    expect(cache.get('q', { i: 999 }, P)).toBeDefined();
  });

  it("keeps to a result's ttlMs when it is shorter than the configured TTL, and does not keep ttlMs 0", () => {
    let now = 0;
    const cache = new ResponseCache(60_000, [], () => now);
    cache.set('q', { a: 1 }, { content: [], ttlMs: 500, cacheScope: 'private' }, P);
    cache.set('q', { a: 2 }, { content: [], ttlMs: 0, cacheScope: 'public' }, P);
    cache.set('q', { a: 3 }, { content: [], ttlMs: 10 * 86_400_000, cacheScope: 'public' }, P);
    expect(cache.get('q', { a: 1 }, P)).toBeDefined();
    expect(cache.get('q', { a: 2 }, P)).toBeUndefined();
    now = 500;
    expect(cache.get('q', { a: 1 }, P)).toBeUndefined();
    // A server's 10 days never beat the configured minute.
    now = 60_000;
    expect(cache.get('q', { a: 3 }, P)).toBeUndefined();
  });

  it('never serves a private answer (or one without hints) in another auth context; a public one anywhere', () => {
    const cache = new ResponseCache(60_000, []);
    cache.set('q', { a: 1 }, { content: [{ type: 'text', text: 'mine' }], ttlMs: 60_000, cacheScope: 'private' }, 'alice');
    cache.set('q', { a: 2 }, { content: [{ type: 'text', text: 'no hints' }] }, 'alice');
    cache.set('q', { a: 3 }, { content: [{ type: 'text', text: 'shared' }], ttlMs: 60_000, cacheScope: 'public' }, 'alice');
    expect(cache.get('q', { a: 1 }, 'alice')?.content).toEqual([{ type: 'text', text: 'mine' }]);
    expect(cache.get('q', { a: 1 }, 'bob')).toBeUndefined();
    expect(cache.get('q', { a: 2 }, 'bob')).toBeUndefined();
    expect(cache.get('q', { a: 3 }, 'bob')?.content).toEqual([{ type: 'text', text: 'shared' }]);
  });
});
