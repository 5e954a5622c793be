// MCP content the person brings into the conversation (an attached resource, a server prompt's messages)
// as model content: text labelled with where it came from, images when the model takes them, each
// bounded by the same size budget as tool results.
import type { GetPromptResult, PromptMessage, ReadResourceResult } from '../../mcp/types.js';
import type { TurnMessage } from '../../agent/session.js';
import { fitToBudget, type ResultBudget } from '../../agent/tool-result.js';
import { base64Size, formatBytes } from '../../mcp/render-result.js';
import type { ContentPart } from '../../model/types.js';

type ResourceContents = ReadResourceResult['contents'][number];

export interface ConvertedResource {
  parts: ContentPart[];
  /** Bytes as the server sent them (text as UTF-8, blobs decoded). */
  bytes: number;
  mimeType: string | undefined;
  /** Characters left out to fit the budget. */
  cut: number;
}

/** One resource's contents (a read can return several) labelled with `label` (`server:uri`). */
export function resourceParts(label: string, contents: readonly ResourceContents[], budget: ResultBudget): ConvertedResource {
  const parts: ContentPart[] = [];
  let bytes = 0;
  let cut = 0;
  for (const c of contents) {
    const type = c.mimeType ? ` (${c.mimeType})` : '';
    const where = c.uri === '' || label.endsWith(c.uri) ? label : `${label} → ${c.uri}`;
    if ('text' in c && typeof c.text === 'string') {
      bytes += Buffer.byteLength(c.text, 'utf8');
      const fitted = fitToBudget(c.text, budget.maxChars);
      if (fitted.truncated) cut += fitted.truncated.originalChars - fitted.truncated.keptChars;
      parts.push({ type: 'text', text: `[resource ${where}${type}]\n${fitted.text}` });
      continue;
    }
    const blob = 'blob' in c && typeof c.blob === 'string' ? c.blob : '';
    const size = base64Size(blob);
    bytes += size;
    if (budget.images && c.mimeType?.startsWith('image/') === true && size <= budget.maxImageBytes) {
      parts.push(
        { type: 'text', text: `[resource ${where}${type}, ${formatBytes(size)}: the image follows]` },
        { type: 'image', mimeType: c.mimeType, data: blob },
      );
    } else {
      parts.push({ type: 'text', text: `[binary resource ${where}${type}, ${formatBytes(size)}: not shown to the model]` });
    }
  }
  if (parts.length === 0) parts.push({ type: 'text', text: `[resource ${label}: empty]` });
  return { parts, bytes, mimeType: contents[0]?.mimeType, cut };
}

/** A server prompt's messages as the turn's messages: user content as parts, assistant content as text. */
export function promptMessages(server: string, result: GetPromptResult, budget: ResultBudget): TurnMessage[] {
  return result.messages.map((m) => {
    const parts = contentParts(server, m.content, budget);
    if (m.role === 'assistant')
      return { role: 'assistant', content: parts.map((p) => (p.type === 'text' ? p.text : `[image ${p.mimeType}]`)).join('\n') };
    return { role: 'user', content: parts.length === 1 && parts[0]?.type === 'text' ? parts[0].text : parts };
  });
}

function contentParts(server: string, c: PromptMessage['content'], budget: ResultBudget): ContentPart[] {
  switch (c.type) {
    case 'text':
      return [{ type: 'text', text: fitToBudget(c.text, budget.maxChars).text }];
    case 'image': {
      const size = base64Size(c.data);
      if (budget.images && size <= budget.maxImageBytes) return [{ type: 'image', mimeType: c.mimeType, data: c.data }];
      return [{ type: 'text', text: `[image ${c.mimeType}, ${formatBytes(size)}: not shown to the model]` }];
    }
    case 'audio':
      return [{ type: 'text', text: `[audio ${c.mimeType}, ${formatBytes(base64Size(c.data))}: not supported by the model]` }];
    case 'resource':
      return resourceParts(`${server}:${c.resource.uri}`, [c.resource], budget).parts;
    case 'resource_link':
      return [{ type: 'text', text: `[resource link: ${c.name} <${c.uri}>${c.description ? ` — ${c.description}` : ''}]` }];
  }
}
