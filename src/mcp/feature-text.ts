// Resources and prompts as text for people: the listings and prompt messages that `mcpsh resources`,
// `mcpsh prompt` and the chat's /resources and /server:prompt commands print.
import type { GetPromptResult, PromptMessage, Resource, ResourceTemplate } from './types.js';
import { formatTable, oneLine } from '../output/table.js';
import { redact } from '../policy/redact.js';

export interface ResourceListing {
  server: string;
  items: Resource[];
  templates: ResourceTemplate[];
}

/**
 * Each server's resources and templates. Without `width` (or with room for it) an aligned table; a
 * narrow terminal gets each URI on its own line with the name and type under it, so nothing is cut.
 */
export function renderResources(listings: readonly ResourceListing[], width?: number): string {
  const out: string[] = [];
  const narrow = width !== undefined && width < 80;
  for (const l of listings) {
    if (l.items.length === 0 && l.templates.length === 0) continue;
    out.push(
      `${l.server} (${l.items.length} resource${l.items.length === 1 ? '' : 's'}${l.templates.length > 0 ? `, ${l.templates.length} template${l.templates.length === 1 ? '' : 's'}` : ''})`,
    );
    const rows = l.items.map((r) => [r.uri, r.name, r.mimeType ?? '']);
    rows.push(...l.templates.map((t) => [t.uriTemplate, t.name, t.mimeType ?? '(template)']));
    if (narrow) {
      for (const [uri = '', name = '', type = ''] of rows)
        out.push(`  ${uri}`, `    ${oneLine([name, type].filter((s) => s !== '').join(' · '), Math.max(10, width - 4))}`);
      out.push('');
    } else {
      out.push(formatTable(rows.map(([uri = '', ...rest]) => [`  ${oneLine(uri, 90)}`, ...rest.map((cell) => oneLine(cell, 60))])), '');
    }
  }
  if (out.length === 0) return 'no resources\n';
  return `${out.join('\n').trimEnd()}\n`;
}

/** A prompt's messages, each under its role, redacted. */
export function renderMessages(result: GetPromptResult): string {
  const out = result.messages.map((m) => `[${m.role}]\n${redact(contentText(m.content))}`);
  return out.length === 0 ? '(no messages)\n' : `${out.join('\n\n')}\n`;
}

/** Text as it is; other content as a one-line notice of what it is. */
export function contentText(c: PromptMessage['content']): string {
  switch (c.type) {
    case 'text':
      return c.text;
    case 'image':
    case 'audio':
      return `(${c.type}: ${c.mimeType}, ${Buffer.from(c.data, 'base64').length} bytes)`;
    case 'resource':
      return 'text' in c.resource && typeof c.resource.text === 'string'
        ? `(resource ${c.resource.uri})\n${c.resource.text}`
        : `(binary resource ${c.resource.uri}${c.resource.mimeType ? `, ${c.resource.mimeType}` : ''})`;
    case 'resource_link':
      return `(resource link: ${c.uri})`;
  }
}
