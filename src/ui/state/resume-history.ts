// A saved chat's messages as transcript entries, shown when it is resumed: the person's messages, the
// answers (rendered as Markdown like any answer) and each tool call as a finished one-line entry. Only
// the last turns are shown, within a bound, with a line that counts what is left out. Pure.
import type { ChatMessage, ContentPart } from '../../model/types.js';
import { messageText } from '../../agent/transcript-summary.js';
import type { HistoryEntry, ToolStatus } from './transcript.js';

export interface HistoryLimits {
  /** Most turns (a message of the person and what followed it) shown. */
  turns: number;
  /** Most entries shown in all; the latest turn is always shown, its start cut when it alone is longer. */
  entries: number;
  /** Most characters of one message or answer shown. */
  textChars: number;
  /** Most characters of one tool result kept (for /expand). */
  resultChars: number;
}

export const HISTORY_LIMITS: HistoryLimits = { turns: 20, entries: 200, textChars: 8000, resultChars: 4000 };

/** Maps a namespaced tool name back to its server and tool (the hub knows); undefined when unknown. */
export type ToolNameResolver = (name: string) => { server: string; tool: string } | undefined;

type ToolHistory = Extract<HistoryEntry, { kind: 'tool' }>;

export function historyEntries(
  messages: readonly ChatMessage[],
  resolve: ToolNameResolver = () => undefined,
  limits: HistoryLimits = HISTORY_LIMITS,
): HistoryEntry[] {
  const turns = splitTurns(messages).map((turn) => turnEntries(turn, resolve, limits));
  const kept: HistoryEntry[][] = [];
  let count = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i] ?? [];
    if (kept.length > 0 && (kept.length >= limits.turns || count + turn.length > limits.entries)) break;
    kept.unshift(turn);
    count += turn.length;
  }
  const hidden = turns.length - kept.length;
  const out: HistoryEntry[] = [];
  if (hidden > 0)
    out.push({
      kind: 'notice',
      level: 'info',
      text: `${hidden} earlier turn${hidden === 1 ? '' : 's'} of this chat not shown (the model still has ${hidden === 1 ? 'it' : 'them'})`,
    });
  const [only] = kept;
  if (kept.length === 1 && only && only.length > limits.entries) {
    // One turn longer than the bound (a long run of tool calls): its message, then its end.
    const [first, ...rest] = only;
    const tail = rest.slice(-(limits.entries - 2));
    if (first) out.push(first);
    out.push({ kind: 'notice', level: 'info', text: `${rest.length - tail.length} earlier steps of this turn not shown` });
    out.push(...tail);
    return out;
  }
  for (const turn of kept) out.push(...turn);
  return out;
}

/** Each turn starts with a message of the person; whatever came before the first one is a turn of its own. */
function splitTurns(messages: readonly ChatMessage[]): ChatMessage[][] {
  const turns: ChatMessage[][] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'user' || turns.length === 0) turns.push([m]);
    else turns.at(-1)?.push(m);
  }
  return turns;
}

function turnEntries(turn: ChatMessage[], resolve: ToolNameResolver, limits: HistoryLimits): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  const calls = new Map<string, ToolHistory>();
  for (const m of turn) {
    switch (m.role) {
      case 'user':
        out.push({ kind: 'user', text: cut(messageText(m) || partsText(m.content), limits.textChars) });
        break;
      case 'assistant': {
        const text = m.content.replace(/\s+$/, '');
        if (text !== '') out.push({ kind: 'assistant', text: cut(text, limits.textChars), final: true, first: true });
        for (const call of m.toolCalls ?? []) {
          const names = resolve(call.name) ?? splitName(call.name);
          const entry: ToolHistory = {
            kind: 'tool',
            callId: call.id,
            server: names.server,
            tool: names.tool,
            args: parseArgs(call.arguments),
            status: 'cancelled',
            startedAt: 0,
            direct: false,
          };
          calls.set(call.id, entry);
          out.push(entry);
        }
        break;
      }
      case 'tool': {
        const entry = calls.get(m.toolCallId);
        if (entry) Object.assign(entry, outcome(partsText(m.content), limits.resultChars));
        break;
      }
      case 'system':
        break;
    }
  }
  return out;
}

const DENIED = /^The user's permission rules did not allow this call: ([\s\S]*?)\. Do not retry it/;
const CANCELLED = ['The call was cancelled by the user.', 'The session ended before this call finished.'];

/** The status a saved result tells: the host's own wording marks denials, cancellations and its errors. */
function outcome(text: string, max: number): { status: ToolStatus; result: string } {
  const denied = DENIED.exec(text);
  if (denied) return { status: 'denied', result: denied[1] ?? '' };
  if (CANCELLED.includes(text.trim())) return { status: 'cancelled', result: text };
  return { status: text.startsWith('Error: ') ? 'error' : 'ok', result: cut(text, max) };
}

function partsText(content: string | ContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((p) => (p.type === 'text' ? p.text : `[image ${p.mimeType}]`)).join('\n');
}

function splitName(name: string): { server: string; tool: string } {
  const at = name.indexOf('__');
  return at > 0 ? { server: name.slice(0, at), tool: name.slice(at + 2) } : { server: '', tool: name };
}

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters not shown)`;
}
