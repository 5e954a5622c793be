import type { Tool } from '../../../src/mcp/types.js';
import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../../src/mcp/response-cache.js';

const tool = (name: string, annotations?: Tool['annotations']): Tool => ({ name, inputSchema: { type: 'object' }, ...(annotations ? { annotations } : {}) });

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
    cache.set('q', { a: 1, b: 2 }, { content: [{ type: 'text', text: 'r1' }] });
    const hit = cache.get('q', { b: 2, a: 1 });
    expect(hit).toEqual({ content: [{ type: 'text', text: 'r1' }] });
    hit!.content.push({ type: 'text', text: 'mutated' });
    expect(cache.get('q', { a: 1, b: 2 })?.content).toHaveLength(1);
    expect(cache.get('q', { a: 2, b: 2 })).toBeUndefined();
    now = 1001;
    expect(cache.get('q', { a: 1, b: 2 })).toBeUndefined();
  });

  it('never keeps error results', () => {
    const cache = new ResponseCache(1000, []);
    cache.set('q', {}, { content: [{ type: 'text', text: 'bad' }], isError: true });
    expect(cache.get('q', {})).toBeUndefined();
  });

  it('stays bounded', () => {
    const cache = new ResponseCache(60_000, []);
    for (let i = 0; i < 1000; i++) cache.set('q', { i }, { content: [] });
    expect(cache.get('q', { i: 0 })).toBeUndefined();
    expect(cache.get('q', { i: 999 })).toBeDefined();
  });
});
