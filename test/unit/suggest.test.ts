import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../src/suggest.js';

describe('suggestions', () => {
  it('counts insertions, deletions, substitutions and swaps as one edit each', () => {
    expect(editDistance('command', 'comand')).toBe(1);
    expect(editDistance('basic', 'basci')).toBe(1);
    expect(editDistance('query', 'qery')).toBe(1);
    expect(editDistance('echo', 'ecko')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest name only when it is a plausible typo', () => {
    expect(closestMatch('basci', ['basic', 'files'])).toBe('basic');
    expect(closestMatch('Comand', ['command', 'args'])).toBe('command');
    expect(closestMatch('zzz', ['basic', 'files'])).toBeUndefined();
  });
});
