// Turns an MCP tool result into what the model reads: text, images (when the model takes them),
// resources, structured content — bounded by a size budget, with a notice to the model when cut. With a
// `spill`, a result over the budget is kept whole (result-store.ts) and the notice names its handle.
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
  /** Where a result over `maxChars` is kept whole, so the model can read the rest in pages (else it is cut). */
  spill?: ResultSpill;
}

export interface ResultSpill {
  /** Keeps `text` whole; returns its handle and what was kept (redacted: the model sees only that). Throws when it cannot. */
  save(text: string): { handle: string; kept: string; bytes: number };
  /** Most bytes one mcpsh_read_result page gives. */
  pageBytes: number;
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
  const { text, truncated } =
    joined.length > budget.maxChars && budget.spill
      ? spillOver(joined, budget.maxChars, budget.spill)
      : fitToBudget(joined, budget.maxChars);
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

/**
 * The head and tail of a result kept whole, with the handle and the byte offset where the part left out
 * starts: what the model reads is exactly a prefix and a suffix of the kept file, so pages line up.
 */
function spillOver(
  joined: string,
  maxChars: number,
  spill: ResultSpill,
): { text: string; truncated?: { originalChars: number; keptChars: number } } {
  let saved: { handle: string; kept: string; bytes: number };
  try {
    saved = spill.save(joined);
  } catch (err) {
    // Disk full or not writable: the model still gets head and tail, and is told why nothing more is readable.
    const cut = fitToBudget(joined, maxChars);
    return {
      ...cut,
      text: `${cut.text}\n[the whole result could not be kept for reading in pages: ${err instanceof Error ? err.message : String(err)}]`,
    };
  }
  const text = saved.kept;
  if (text.length <= maxChars) return { text };
  const tailChars = Math.min(2000, Math.floor(maxChars / 5));
  let headEnd = Math.max(0, maxChars - tailChars);
  let tailStart = text.length - tailChars;
  // Never split a surrogate pair: the byte offsets below must match the file.
  if (isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd--;
  if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart++;
  const head = text.slice(0, headEnd);
  const tail = text.slice(tailStart);
  const from = Buffer.byteLength(head);
  const to = saved.bytes - Buffer.byteLength(tail);
  const call = JSON.stringify({ handle: saved.handle, offset: from });
  const notice =
    `\n\n[output too long for one message: bytes ${from}–${to} of ${saved.bytes} (${text.length - head.length - tail.length} of ${text.length} characters) are left out here. ` +
    `The whole result is kept as handle "${saved.handle}": read the part left out with mcpsh_read_result ${call} ` +
    `(offset and length in bytes, at most ${spill.pageBytes} per page; each page says where the next starts), or ask the tool for a narrower result.]\n\n`;
  return { text: `${head}${notice}${tail}`, truncated: { originalChars: text.length, keptChars: head.length + tail.length } };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
