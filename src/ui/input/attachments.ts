// `@server:uri` in a chat message: finding the references (only for servers of the current profile, so an
// e-mail address stays text) and reading each resource into model content before the message is sent.
import type { ResultBudget } from '../../agent/tool-result.js';
import { AppError, errorMessage } from '../../errors.js';
import type { Hub } from '../../mcp/hub.js';
import { formatBytes } from '../../mcp/render-result.js';
import type { ContentPart } from '../../model/types.js';
import { resourceParts } from './mcp-content.js';
import { terminalSafe } from '../../output/safe-text.js';

export interface AttachmentRef {
  server: string;
  uri: string;
}

export interface ReadAttachments {
  /** The message text first, then each resource's parts. */
  content: ContentPart[];
  /** One line per attachment for the transcript: server, uri, type and size. */
  summary: string[];
}

/** Punctuation that ends a sentence rather than a URI: "read @docs:file://a.md." */
const TRAILING = /[.,;!?)\]'"]+$/;

/**
 * Every `@server:uri` that starts a word and names one of `servers`, in order, without repeats. `known`
 * gives a server's listed URIs, so a URI that really ends in punctuation is kept whole.
 */
export function findAttachments(
  text: string,
  servers: readonly string[],
  known: (server: string) => readonly string[] = () => [],
): AttachmentRef[] {
  const byLength = [...servers].sort((a, b) => b.length - a.length);
  const found: AttachmentRef[] = [];
  for (const match of text.matchAll(/(?<=^|\s)@(\S+)/g)) {
    const word = match[1] ?? '';
    const server = byLength.find((s) => word.startsWith(`${s}:`) && word.length > s.length + 1);
    if (server === undefined) continue;
    let uri = word.slice(server.length + 1);
    if (!known(server).includes(uri)) uri = uri.replace(TRAILING, '');
    if (uri !== '' && !found.some((f) => f.server === server && f.uri === uri)) found.push({ server, uri });
  }
  return found;
}

/** Reads every attachment; the first that cannot be read stops it all with an error that names it. */
export async function readAttachments(
  hub: Hub,
  text: string,
  refs: readonly AttachmentRef[],
  budget: ResultBudget,
  signal: AbortSignal,
): Promise<ReadAttachments> {
  const content: ContentPart[] = [{ type: 'text', text }];
  const summary: string[] = [];
  for (const ref of refs) {
    const label = `${ref.server}:${ref.uri}`;
    const c = hub.get(ref.server);
    if (c?.state !== 'ready')
      throw new AppError(
        'TOOL_ERROR',
        `could not attach @${label}: server ${ref.server} is ${c?.state === 'failed' ? `failed (${c.error ?? 'unknown reason'})` : 'not ready yet'}`,
        { hint: 'wait until /servers shows it ready, then send again' },
      );
    let converted;
    try {
      converted = resourceParts(label, (await c.features.readResource(ref.uri, signal)).contents, budget);
    } catch (err) {
      const hint =
        err instanceof AppError && err.hint ? err.hint.replace(/^list its resources with: mcpsh resources/, '/resources') : undefined;
      throw new AppError(
        'TOOL_ERROR',
        `could not attach @${label}: ${errorMessage(err).replace(`${ref.server}: reading ${ref.uri} failed: `, '')}`,
        { cause: err, ...(hint ? { hint } : {}) },
      );
    }
    content.push(...converted.parts);
    const cut = converted.cut > 0 ? `; ${converted.cut} characters left out to fit` : '';
    summary.push(
      terminalSafe(`attached ${label} (${[converted.mimeType, formatBytes(converted.bytes)].filter(Boolean).join(', ')}${cut})`),
    );
  }
  return { content, summary };
}
