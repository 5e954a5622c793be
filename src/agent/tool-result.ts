// Turns an MCP tool result into what the model reads: text, images (when the model takes them),
// resources, structured content — bounded by a size budget, with a notice to the model when cut.
import type { CallToolResult } from '../mcp/types.js';
import type { ContentPart } from '../model/types.js';
import { base64Size, formatBytes } from '../mcp/render-result.js';

export interface ResultBudget {
  /** Most characters of text given to the model for one result. */
  maxChars: number;
  /** Whether image content is passed on as images (else a notice). */
  images: boolean;
  /** Largest single image passed on, in bytes. */
  maxImageBytes: number;
}

export const DEFAULT_BUDGET: ResultBudget = { maxChars: 40_000, images: true, maxImageBytes: 5 * 1024 * 1024 };

export interface ModelToolResult {
  content: ContentPart[];
  truncated?: { originalChars: number; keptChars: number };
}

export function toModelContent(result: CallToolResult, budget: ResultBudget = DEFAULT_BUDGET): ModelToolResult {
  const texts: string[] = [];
  const images: ContentPart[] = [];
  for (const block of result.content ?? []) {
    switch (block.type) {
      case 'text':
        texts.push(block.text);
        break;
      case 'image':
        if (budget.images && base64Size(block.data) <= budget.maxImageBytes) {
          images.push({ type: 'image', mimeType: block.mimeType, data: block.data });
        } else {
          texts.push(`[image ${block.mimeType}, ${formatBytes(base64Size(block.data))}: not shown to the model]`);
        }
        break;
      case 'audio':
        texts.push(`[audio ${block.mimeType}, ${formatBytes(base64Size(block.data))}: not supported by the model]`);
        break;
      case 'resource_link':
        texts.push(`[resource link: ${block.name} <${block.uri}>${block.description ? ` — ${block.description}` : ''}]`);
        break;
      case 'resource': {
        const r = block.resource;
        if ('text' in r && typeof r.text === 'string') texts.push(`[resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}]\n${r.text}`);
        else texts.push(`[binary resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}: not shown to the model]`);
        break;
      }
      default:
        texts.push(`[${(block as { type: string }).type} content: not supported]`);
    }
  }
  if (result.structuredContent !== undefined && texts.length === 0) {
    texts.push(JSON.stringify(result.structuredContent));
  }
  const joined = texts.join('\n');
  const { text, truncated } = fitToBudget(joined, budget.maxChars);
  const content: ContentPart[] = [];
  if (text !== '' || images.length === 0) content.push({ type: 'text', text: text === '' ? '(no output)' : text });
  content.push(...images);
  return truncated ? { content, truncated } : { content };
}

/** Keeps the head and a little of the tail, and says what was left out so the model can ask for less. */
export function fitToBudget(text: string, maxChars: number): { text: string; truncated?: { originalChars: number; keptChars: number } } {
  if (text.length <= maxChars) return { text };
  const tailChars = Math.min(2000, Math.floor(maxChars / 5));
  const headChars = Math.max(0, maxChars - tailChars);
  const omitted = text.length - headChars - tailChars;
  const notice = `\n\n[output truncated: ${omitted} of ${text.length} characters left out here. Ask for a narrower result (a filter, a limit, a smaller range) if you need what is missing.]\n\n`;
  return {
    text: `${text.slice(0, headChars)}${notice}${text.slice(text.length - tailChars)}`,
    truncated: { originalChars: text.length, keptChars: headChars + tailChars },
  };
}
