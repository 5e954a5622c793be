// Markdown for the terminal: structure at a width, highlighting, links, NO_COLOR, and the wrapper.
import { describe, expect, it } from 'vitest';

// chalk decides its colour level when first imported: force colour so highlighting can be seen.
process.env.FORCE_COLOR = '1';
const { renderMarkdown } = await import('../../../src/ui/text/markdown-render.js');
const { stripAnsi, stripColors } = await import('../../../src/ui/text/ansi.js');
const { wrapAnsi } = await import('../../../src/ui/text/wrap.js');

const SAMPLE = [
  '# Customers',
  '',
  'There are **12** customers in *three* cities; see [the docs](https://example.com/docs) or https://example.com.',
  '',
  '- first point with `inline code` and **bold** inside a list item',
  '- second point',
  '',
  '1. one',
  '2. two',
  '',
  '| city | count |',
  '|---|---:|',
  '| Hanoi | 3 |',
  '',
  '```js',
  'const answer = 42; // the answer',
  '```',
].join('\n');

const ESC = '\u001b';
const hasColor = (s: string): boolean => new RegExp(`${ESC}\\[(3\\d|9\\d|38;)`).test(s);

describe('renderMarkdown', () => {
  it('renders headings, emphasis, lists, tables, links and code as terminal text', () => {
    const plain = stripAnsi(renderMarkdown(SAMPLE, { width: 80, color: true }));
    expect(plain).toContain('Customers');
    expect(plain).not.toContain('# Customers');
    expect(plain).toContain('There are 12 customers in three cities');
    expect(plain).toContain('the docs (https://example.com/docs)');
    expect(plain).toMatch(/\* first point with inline code and bold inside a list item/);
    expect(plain).toMatch(/1\. one\n\s+2\. two/);
    expect(plain).toMatch(/│ Hanoi │ 3\s+│/);
    expect(plain).toContain('const answer = 42; // the answer');
    expect(plain).not.toContain('**');
    expect(plain).not.toContain('`');
  });

  it('styles emphasis and highlights code with colour', () => {
    const out = renderMarkdown(SAMPLE, { width: 80, color: true });
    expect(out).toContain(`${ESC}[1m12${ESC}[22m`);
    const codeLine = out.split('\n').find((l) => stripAnsi(l).includes('const answer')) ?? '';
    expect(hasColor(codeLine)).toBe(true);
  });

  it('without colour (NO_COLOR) keeps bold and italics but no colour codes', () => {
    const out = renderMarkdown(SAMPLE, { width: 80, color: false });
    expect(hasColor(out)).toBe(false);
    expect(out).toContain(`${ESC}[1m12${ESC}[22m`);
    expect(stripAnsi(out)).toBe(stripAnsi(renderMarkdown(SAMPLE, { width: 80, color: true })));
  });

  it('wraps prose and list items to the width, with list items keeping their indent', () => {
    const text =
      'A paragraph that is certainly longer than forty columns of terminal.\n\n- a list item that is also far longer than forty columns, so it wraps';
    const lines = stripAnsi(renderMarkdown(text, { width: 40, color: true })).split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
    const item = lines.findIndex((l) => l.includes('* a list item'));
    expect(lines[item + 1]).toMatch(/^ {4}\S/);
  });

  it('re-renders for a new width', () => {
    const text = 'word '.repeat(30).trim();
    const narrow = stripAnsi(renderMarkdown(text, { width: 30, color: true })).split('\n');
    const wide = stripAnsi(renderMarkdown(text, { width: 100, color: true })).split('\n');
    expect(narrow.length).toBeGreaterThan(wide.length);
  });
});

describe('stripColors and wrapAnsi', () => {
  it('stripColors drops 16, 256 and true colour, keeps other styles', () => {
    expect(stripColors(`${ESC}[1;31mbold red${ESC}[39;22m ${ESC}[38;5;200mx${ESC}[39m ${ESC}[48;2;1;2;3my${ESC}[49m`)).toBe(
      `${ESC}[1mbold red${ESC}[22m x y`,
    );
  });

  it('wrapAnsi closes styles at a break and reopens them on the next line', () => {
    const out = wrapAnsi(`${ESC}[1mbold words that go on for a while${ESC}[22m`, 16).split('\n');
    expect(out.map(stripAnsi)).toEqual(['bold words that', 'go on for a', 'while']);
    expect(out[0]?.endsWith(`${ESC}[0m`)).toBe(true);
    expect(out[1]?.startsWith(`${ESC}[1m`)).toBe(true);
  });

  it('leaves table rows alone', () => {
    const row = '│ a very long table cell that is wider than the width │';
    expect(wrapAnsi(row, 20)).toBe(row);
  });
});
