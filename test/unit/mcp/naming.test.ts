// Tool names the model sees: sanitized, length-limited, collision-free, order-independent and reversible.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sanitizeNamePart, TOOL_NAME_MAX, ToolNamer, type ToolRef } from '../../../src/mcp/naming.js';

const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

function hashOf(ref: ToolRef): string {
  return createHash('sha256').update(`${ref.server}\0${ref.tool}`).digest('hex');
}

function namesOf(refs: ToolRef[]): Map<string, string> {
  const namer = new ToolNamer(refs);
  return new Map(refs.map((r) => [`${r.server}\0${r.tool}`, namer.nameOf(r)]));
}

describe('sanitizeNamePart', () => {
  it('keeps allowed characters as they are', () => {
    expect(sanitizeNamePart('read_file-v2')).toBe('read_file-v2');
  });

  it('replaces each run of disallowed characters with one underscore', () => {
    expect(sanitizeNamePart('my.server')).toBe('my_server');
    expect(sanitizeNamePart('a..//b')).toBe('a_b');
    expect(sanitizeNamePart('hello world')).toBe('hello_world');
    expect(sanitizeNamePart('path/to/tool')).toBe('path_to_tool');
    expect(sanitizeNamePart('rocket 🚀 launch')).toBe('rocket_launch');
  });

  it('folds accents instead of dropping the letter', () => {
    expect(sanitizeNamePart('café')).toBe('cafe');
    expect(sanitizeNamePart('naïve-Ünïcode')).toBe('naive-Unicode');
  });

  it('never returns an empty part', () => {
    expect(sanitizeNamePart('')).toBe('_');
    expect(sanitizeNamePart('日本語')).toBe('_');
  });
});

describe('ToolNamer', () => {
  it('gives a plain <server>__<tool> name when nothing needs changing', () => {
    const namer = new ToolNamer([{ server: 'files', tool: 'read_file' }]);
    expect(namer.nameOf({ server: 'files', tool: 'read_file' })).toBe('files__read_file');
  });

  it('sanitizes without a hash when the result is unique and short enough', () => {
    const namer = new ToolNamer([{ server: 'my.server', tool: 'get user' }]);
    expect(namer.nameOf({ server: 'my.server', tool: 'get user' })).toBe('my_server__get_user');
  });

  it('keeps a name of exactly 64 characters as it is', () => {
    const ref = { server: 'srv', tool: 't'.repeat(TOOL_NAME_MAX - 'srv__'.length) };
    const name = new ToolNamer([ref]).nameOf(ref);
    expect(name).toBe(`srv__${ref.tool}`);
    expect(name).toHaveLength(64);
  });

  it('truncates a 65-character name and appends a hash of the real server and tool', () => {
    const ref = { server: 'srv', tool: 't'.repeat(TOOL_NAME_MAX - 'srv__'.length + 1) };
    const name = new ToolNamer([ref]).nameOf(ref);
    expect(name).toHaveLength(64);
    expect(name).toMatch(VALID);
    expect(name.startsWith('srv__ttt')).toBe(true);
    expect(name.endsWith(`_${hashOf(ref).slice(0, 6)}`)).toBe(true);
  });

  it('fits a 200-character name into 64 and tells two long names with the same prefix apart', () => {
    const a = { server: 'srv', tool: `${'x'.repeat(190)}a` };
    const b = { server: 'srv', tool: `${'x'.repeat(190)}b` };
    const namer = new ToolNamer([a, b]);
    expect(namer.nameOf(a)).toHaveLength(64);
    expect(namer.nameOf(b)).toHaveLength(64);
    expect(namer.nameOf(a)).not.toBe(namer.nameOf(b));
    expect(namer.resolve(namer.nameOf(a))).toEqual(a);
    expect(namer.resolve(namer.nameOf(b))).toEqual(b);
  });

  it('gives both colliding refs a hash suffix, whatever the order', () => {
    const dotted = { server: 'a.b', tool: 'run' };
    const plain = { server: 'a_b', tool: 'run' };
    const forward = namesOf([dotted, plain]);
    const backward = namesOf([plain, dotted]);
    expect(forward).toEqual(backward);
    const nDotted = forward.get('a.b\0run');
    const nPlain = forward.get('a_b\0run');
    expect(nDotted).toBe(`a_b__run_${hashOf(dotted).slice(0, 6)}`);
    expect(nPlain).toBe(`a_b__run_${hashOf(plain).slice(0, 6)}`);
  });

  it('separates a server whose name contains the separator from a tool that does', () => {
    const one = { server: 'a__b', tool: 'c' };
    const two = { server: 'a', tool: 'b__c' };
    const namer = new ToolNamer([one, two]);
    expect(namer.nameOf(one)).not.toBe(namer.nameOf(two));
    expect(namer.resolve(namer.nameOf(one))).toEqual(one);
    expect(namer.resolve(namer.nameOf(two))).toEqual(two);
  });

  it('leaves unrelated names plain when others collide', () => {
    const refs = [
      { server: 'x', tool: 'a.b' },
      { server: 'x', tool: 'a/b' },
      { server: 'x', tool: 'other' },
    ];
    const namer = new ToolNamer(refs);
    expect(namer.nameOf({ server: 'x', tool: 'other' })).toBe('x__other');
    expect(namer.nameOf(refs[0]!)).toMatch(/^x__a_b_[0-9a-f]{6}$/);
    expect(namer.nameOf(refs[1]!)).toMatch(/^x__a_b_[0-9a-f]{6}$/);
  });

  it('also hashes a plain name that happens to equal a hashed one', () => {
    const long = { server: 'srv', tool: 'y'.repeat(80) };
    const hashed = new ToolNamer([long]).nameOf(long);
    // A real tool whose plain name is exactly that hashed name.
    const impostor = { server: 'srv', tool: hashed.slice('srv__'.length) };
    const namer = new ToolNamer([long, impostor]);
    expect(namer.nameOf(long)).not.toBe(namer.nameOf(impostor));
    expect(namer.resolve(namer.nameOf(impostor))).toEqual(impostor);
    expect(namesOf([impostor, long])).toEqual(namesOf([long, impostor]));
  });

  it('handles odd characters: unicode, spaces, dots, slashes, emoji, empty strings', () => {
    const refs: ToolRef[] = [
      { server: 'über server', tool: 'zähle/äpfel' },
      { server: '🚀', tool: '✨' },
      { server: '', tool: '' },
      { server: 'a b', tool: 'c.d/e' },
      { server: 'dots...', tool: '...dots' },
      { server: 'tab\tnew\nline', tool: 'quote"s' },
    ];
    const namer = new ToolNamer(refs);
    const names = refs.map((r) => namer.nameOf(r));
    for (const name of names) expect(name).toMatch(VALID);
    expect(new Set(names).size).toBe(refs.length);
    expect(namer.nameOf(refs[0]!)).toBe('uber_server__zahle_apfel');
    for (const ref of refs) expect(namer.resolve(namer.nameOf(ref))).toEqual(ref);
  });

  it('lengthens the hash when two colliding refs share its first 6 hex digits', () => {
    // Every one of these tools sanitizes to `a_b`; search them for two whose hashes start alike.
    const separators = ['.', '/', ' ', ':', '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '+', '='];
    const seen = new Map<string, ToolRef>();
    let pair: [ToolRef, ToolRef] | undefined;
    for (let k = 0; pair === undefined && k < 16 ** 4; k++) {
      const sep = [...k.toString(16).padStart(4, '0')].map((d) => separators[parseInt(d, 16)]).join('');
      const ref = { server: 's', tool: `a${sep}b` };
      const prefix = hashOf(ref).slice(0, 6);
      const earlier = seen.get(prefix);
      if (earlier) pair = [earlier, ref];
      else seen.set(prefix, ref);
    }
    expect(pair).toBeDefined();
    const [first, second] = pair!;
    const namer = new ToolNamer([first, second]);
    expect(namer.nameOf(first)).toBe(`s__a_b_${hashOf(first).slice(0, 8)}`);
    expect(namer.nameOf(second)).toBe(`s__a_b_${hashOf(second).slice(0, 8)}`);
    expect(namer.nameOf(first)).not.toBe(namer.nameOf(second));
  });

  it('resolves names back to server and tool, and unknown names to undefined', () => {
    const refs = [
      { server: 'db', tool: 'query' },
      { server: 'files', tool: 'read_file' },
    ];
    const namer = new ToolNamer(refs);
    expect(namer.resolve('db__query')).toEqual({ server: 'db', tool: 'query' });
    expect(namer.resolve('files__read_file')).toEqual({ server: 'files', tool: 'read_file' });
    expect(namer.resolve('db__nope')).toBeUndefined();
    expect(namer.entries()).toEqual([
      ['db__query', { server: 'db', tool: 'query' }],
      ['files__read_file', { server: 'files', tool: 'read_file' }],
    ]);
  });

  it('throws for a ref it was not given', () => {
    const namer = new ToolNamer([{ server: 'db', tool: 'query' }]);
    expect(() => namer.nameOf({ server: 'db', tool: 'drop' })).toThrow(/drop.*db/);
  });

  it('treats a ref listed twice as one tool', () => {
    const namer = new ToolNamer([
      { server: 'db', tool: 'query' },
      { server: 'db', tool: 'query' },
    ]);
    expect(namer.entries()).toEqual([['db__query', { server: 'db', tool: 'query' }]]);
  });

  it('does not let callers change its map through returned refs', () => {
    const namer = new ToolNamer([{ server: 'db', tool: 'query' }]);
    const ref = namer.resolve('db__query')!;
    ref.tool = 'hacked';
    expect(namer.resolve('db__query')).toEqual({ server: 'db', tool: 'query' });
  });

  it('always produces valid, unique, reversible names that do not depend on order (generated inputs)', () => {
    // A small deterministic generator, so a failure reproduces.
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', 'b', 'Z', '0', '_', '-', '.', ' ', '/', 'é', '🚀', '日', '__', ':'];
    const word = (maxLen: number): string => Array.from({ length: rand(maxLen) }, () => alphabet[rand(alphabet.length)]).join('');
    for (let round = 0; round < 60; round++) {
      const refs: ToolRef[] = Array.from({ length: 1 + rand(30) }, () => ({
        server: word(rand(2) ? 6 : 40),
        tool: word(rand(2) ? 6 : 90),
      }));
      const namer = new ToolNamer(refs);
      const unique = new Map(refs.map((r) => [`${r.server}\0${r.tool}`, r]));
      const names = [...unique.values()].map((r) => namer.nameOf(r));
      for (const name of names) expect(name).toMatch(VALID);
      expect(new Set(names).size).toBe(unique.size);
      for (const ref of unique.values()) expect(namer.resolve(namer.nameOf(ref))).toEqual(ref);
      const shuffled = [...refs].sort(() => rand(3) - 1).reverse();
      const again = new ToolNamer(shuffled);
      for (const ref of unique.values()) expect(again.nameOf(ref)).toBe(namer.nameOf(ref));
    }
  });
});
