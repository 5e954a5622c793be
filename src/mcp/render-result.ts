// Turns a tool result into text for people: text as is, binary content as short notices, resources
// under a header line, and structuredContent as JSON when the text does not already say the same.
import type { CallToolResult } from './types.js';

type ContentBlock = CallToolResult['content'][number];

/** Decoded size of base64 data, without decoding it. */
export function base64Size(data: string): number {
  const clean = data.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function mimeSuffix(mimeType: string | undefined): string {
  return mimeType === undefined || mimeType === '' ? '' : ` (${mimeType})`;
}

function renderBlock(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type}: ${block.mimeType}, ${formatBytes(base64Size(block.data))}]`;
    case 'resource_link':
      return `[resource link: ${block.name} <${block.uri}>]`;
    case 'resource': {
      const res = block.resource;
      const header = `--- resource ${res.uri}${mimeSuffix(res.mimeType)} ---`;
      if ('text' in res && typeof res.text === 'string') return `${header}\n${res.text}`;
      const blob = 'blob' in res && typeof res.blob === 'string' ? res.blob : '';
      return `${header}\n[binary: ${formatBytes(base64Size(blob))}]`;
    }
    default: {
      // A content type newer than this code: say it is there rather than drop it silently.
      const unknownType = (block as { type?: unknown }).type;
      return `[${typeof unknownType === 'string' ? unknownType : 'unknown'} content]`;
    }
  }
}

/**
 * Readable text for a tool result. Error results render the same way; the caller labels them.
 * structuredContent is shown only when there is no text: servers put the readable form in text
 * (the spec asks them to), and `--json` gives the structured form to scripts.
 */
export function renderToolResult(result: CallToolResult): string {
  const blocks = Array.isArray(result.content) ? result.content : [];
  const parts = blocks.map(renderBlock);
  const structured = result.structuredContent;
  if (structured !== undefined && !blocks.some((b) => b.type === 'text')) {
    parts.push(`structured content:\n${JSON.stringify(structured, null, 2)}`);
  }
  return parts.length === 0 ? '(no content)' : parts.join('\n');
}
