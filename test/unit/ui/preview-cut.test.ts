// Result previews in the chat are cut where a person can read the cut: whole words, never on a lone opening
// bracket, whatever shape of JSON or prose the result has.
import { describe, expect, it } from 'vitest';
import { cutReadable, preview } from '../../../src/ui/text/format.js';

const OPENING_END = /[[{(:,]\s*…?$/;

describe('preview', () => {
  it('structured content (a header, then pretty JSON) does not end on a lone {', () => {
    const text = `structured content:\n${JSON.stringify({ id: 3, name: 'Ada Lovelace', tags: ['math', 'engines'] }, null, 2)}`;
    const shown = preview(text, 2, 60);
    expect(shown.lines[0]).toBe('structured content:');
    expect(shown.lines[1]).toMatch(/^\{ "id": 3, "name": "Ada Lovelace",/);
    expect(shown.lines[1]).not.toMatch(OPENING_END);
    expect(shown.more).toBe(true);
  });

  it('pretty JSON of any shape never shows an opening bracket as its last visible character', () => {
    const values: unknown[] = [
      { rows: [{ a: 1 }, { b: [1, 2, { c: 'x' }] }], total: 2 },
      [[[[{ deep: { deeper: {} } }]]]],
      { text: 'a long sentence of words that goes on and on past the width of the terminal', nested: { k: 'v' } },
      { '{': '[', '(': '{ [' },
    ];
    for (const value of values) {
      for (const indent of [0, 2]) {
        const text = JSON.stringify(value, null, indent);
        for (const lines of [1, 2, 3]) {
          for (const width of [10, 17, 24, 40, 80]) {
            const shown = preview(text, lines, width);
            const lastLine = shown.lines.at(-1) ?? '';
            expect(lastLine, `${text} in ${lines}x${width}`).not.toMatch(/[[{(]$/);
            if (shown.more) expect(lastLine.endsWith('…') || shown.lines.length === lines).toBe(true);
            for (const line of shown.lines) expect([...line].length, line).toBeLessThanOrEqual(width);
          }
        }
      }
    }
  });

  it('a long line of prose is cut after a whole word', () => {
    const shown = preview('The quick brown fox jumps over the lazy dog and keeps running', 1, 30);
    expect(shown.lines).toEqual(['The quick brown fox jumps…']);
    expect(shown.more).toBe(true);
  });

  it('short results are shown as they are', () => {
    expect(preview('count\n-----\n12\n(1 row)', 2, 80)).toEqual({ lines: ['count', '12'], more: true });
    expect(preview('{"ok":true}', 2, 80)).toEqual({ lines: ['{"ok":true}'], more: false });
  });
});

describe('cutReadable', () => {
  it('drops a dangling key, colon or bracket before the ellipsis', () => {
    expect(cutReadable('{"name": "x", "items": [1, 2, 3, 4, 5, 6]}', 25)).toBe('{"name": "x", "items"…');
    expect(cutReadable('{"name": "x", "items": {"a": 1}}', 24)).not.toMatch(OPENING_END);
  });

  it('a single long word is cut hard rather than not at all', () => {
    expect(cutReadable('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});
