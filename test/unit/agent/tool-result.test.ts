import { describe, expect, it } from 'vitest';
import { fitToBudget, toModelContent } from '../../../src/agent/tool-result.js';

const budget = { maxChars: 1000, images: true, maxImageBytes: 100 };

describe('toModelContent', () => {
  it('passes text through and images as image parts', () => {
    const out = toModelContent(
      {
        content: [
          { type: 'text', text: 'hello' },
          { type: 'image', mimeType: 'image/png', data: 'aGVsbG8=' },
        ],
      },
      budget,
    );
    expect(out.content).toEqual([
      { type: 'text', text: 'hello' },
      { type: 'image', mimeType: 'image/png', data: 'aGVsbG8=' },
    ]);
    expect(out.truncated).toBeUndefined();
  });

  it('turns an image into a notice when images are off or too big', () => {
    const big = 'A'.repeat(400);
    const out = toModelContent({ content: [{ type: 'image', mimeType: 'image/png', data: big }] }, budget);
    expect(out.content).toEqual([{ type: 'text', text: '[image image/png, 300 B: not shown to the model]' }]);
  });

  it('describes resource links and embedded resources', () => {
    const out = toModelContent(
      {
        content: [
          { type: 'resource_link', name: 'readme', uri: 'file:///r.md' },
          { type: 'resource', resource: { uri: 'mem://a', mimeType: 'text/plain', text: 'inside' } },
          { type: 'resource', resource: { uri: 'mem://b', blob: 'AAAA' } },
        ],
      },
      budget,
    );
    expect(out.content).toEqual([
      {
        type: 'text',
        text: '[resource link: readme <file:///r.md>]\n[resource mem://a (text/plain)]\ninside\n[binary resource mem://b: not shown to the model]',
      },
    ]);
  });

  it('uses structuredContent when there is no text', () => {
    expect(toModelContent({ content: [], structuredContent: { n: 1 } }, budget).content).toEqual([{ type: 'text', text: '{"n":1}' }]);
  });

  it('says so when a tool returns nothing', () => {
    expect(toModelContent({ content: [] }, budget).content).toEqual([{ type: 'text', text: '(no output)' }]);
  });
});

describe('fitToBudget', () => {
  it('leaves short text alone', () => {
    expect(fitToBudget('short', 10)).toEqual({ text: 'short' });
  });

  it('keeps head and tail of long text and tells the model what is missing', () => {
    const text = `${'a'.repeat(5000)}${'z'.repeat(5000)}`;
    const out = fitToBudget(text, 1000);
    expect(out.truncated).toEqual({ originalChars: 10_000, keptChars: 1000 });
    expect(out.text.startsWith('a'.repeat(800))).toBe(true);
    expect(out.text.endsWith('z'.repeat(200))).toBe(true);
    expect(out.text).toContain('[output truncated: 9000 of 10000 characters left out here.');
  });
});
