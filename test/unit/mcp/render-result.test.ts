// Readable rendering of tool results for each content type, and of structuredContent.
import type { CallToolResult } from '../../../src/mcp/types.js';
import { describe, expect, it } from 'vitest';
import { base64Size, formatBytes, renderToolResult } from '../../../src/mcp/render-result.js';

const b64 = (bytes: number): string => Buffer.alloc(bytes, 7).toString('base64');

describe('renderToolResult', () => {
  it('shows text content as it is, one block per line', () => {
    const result: CallToolResult = {
      content: [
        { type: 'text', text: 'first line\n  indented' },
        { type: 'text', text: 'second block' },
      ],
    };
    expect(renderToolResult(result)).toBe('first line\n  indented\nsecond block');
  });

  it('shows an image as a notice with its type and size', () => {
    const result: CallToolResult = { content: [{ type: 'image', data: b64(12_595), mimeType: 'image/png' }] };
    expect(renderToolResult(result)).toBe('[image: image/png, 12.3 KB]');
  });

  it('shows audio as a notice with its type and size', () => {
    const result: CallToolResult = { content: [{ type: 'audio', data: b64(300), mimeType: 'audio/wav' }] };
    expect(renderToolResult(result)).toBe('[audio: audio/wav, 300 B]');
  });

  it('shows a resource link with its name and uri', () => {
    const result: CallToolResult = { content: [{ type: 'resource_link', name: 'readme', uri: 'file:///srv/README.md' }] };
    expect(renderToolResult(result)).toBe('[resource link: readme <file:///srv/README.md>]');
  });

  it('shows an embedded text resource under a header line', () => {
    const result: CallToolResult = {
      content: [{ type: 'resource', resource: { uri: 'crm://contacts/1', mimeType: 'application/json', text: '{"id":1}' } }],
    };
    expect(renderToolResult(result)).toBe('--- resource crm://contacts/1 (application/json) ---\n{"id":1}');
  });

  it('leaves out the mime type when a resource has none', () => {
    const result: CallToolResult = { content: [{ type: 'resource', resource: { uri: 'memo://a', text: 'x' } }] };
    expect(renderToolResult(result)).toBe('--- resource memo://a ---\nx');
  });

  it('shows an embedded blob resource as a size notice', () => {
    const result: CallToolResult = {
      content: [{ type: 'resource', resource: { uri: 'file:///a.pdf', mimeType: 'application/pdf', blob: b64(3 * 1024 * 1024) } }],
    };
    expect(renderToolResult(result)).toBe('--- resource file:///a.pdf (application/pdf) ---\n[binary: 3.0 MB]');
  });

  it('pretty-prints structuredContent when there is no text content', () => {
    const result: CallToolResult = { content: [], structuredContent: { sum: 3, parts: [1, 2] } };
    expect(renderToolResult(result)).toBe('structured content:\n{\n  "sum": 3,\n  "parts": [\n    1,\n    2\n  ]\n}');
  });

  it('does not repeat structuredContent that the text already carries as JSON (key order aside)', () => {
    const result: CallToolResult = {
      content: [{ type: 'text', text: '{"b":2,"a":1}' }],
      structuredContent: { a: 1, b: 2 },
    };
    expect(renderToolResult(result)).toBe('{"b":2,"a":1}');
  });

  it('leaves structuredContent to --json when the text gives a readable form', () => {
    const result: CallToolResult = { content: [{ type: 'text', text: '1 + 2 = 3' }], structuredContent: { sum: 3 } };
    expect(renderToolResult(result)).toBe('1 + 2 = 3');
  });

  it('renders an error result the same way', () => {
    const result: CallToolResult = { isError: true, content: [{ type: 'text', text: 'no such table: users' }] };
    expect(renderToolResult(result)).toBe('no such table: users');
  });

  it('renders a mix of blocks in order', () => {
    const result: CallToolResult = {
      content: [
        { type: 'text', text: 'here' },
        { type: 'image', data: b64(10), mimeType: 'image/gif' },
        { type: 'resource_link', name: 'n', uri: 'u://1' },
      ],
    };
    expect(renderToolResult(result)).toBe('here\n[image: image/gif, 10 B]\n[resource link: n <u://1>]');
  });

  it('says so when there is nothing at all', () => {
    expect(renderToolResult({ content: [] })).toBe('(no content)');
  });

  it('names a content type it does not know instead of dropping it', () => {
    const result = { content: [{ type: 'hologram', data: 'x' }] } as unknown as CallToolResult;
    expect(renderToolResult(result)).toBe('[hologram content]');
  });
});

describe('sizes', () => {
  it('computes the decoded size of base64 data with and without padding', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 1000, 1001, 1002]) expect(base64Size(b64(n))).toBe(n);
  });

  it('formats bytes for people', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1536 * 1024)).toBe('1.5 MB');
  });
});
