// The chat's transcript as a pure reducer over agent events and UI actions. Finished entries move, in
// order, to `done` (rendered once with Ink's <Static>); only `live` entries re-render while they change.
// Its types (entries, state, actions) live in transcript-types.ts and are re-exported here.
import { assertNever, type AgentEvent } from '../../agent/events.js';
import { renderToolResult } from '../../mcp/render-result.js';
import { safeJson } from '../text/format.js';
import { splitStreamingMarkdown } from '../text/markdown-split.js';
import { elicitationEntry, expandSampling, finishSampling, samplingEntry, type SamplingEntry } from './transcript-requests.js';
import type { Entry, HistoryEntry, NewEntry, ServerView, ToolCallEntry, TranscriptAction, TranscriptState } from './transcript-types.js';

export type { Entry, HistoryEntry, ServerView, ToolCallEntry, ToolStatus, TranscriptAction, TranscriptState } from './transcript-types.js';

/** Most characters of a tool result kept for /expand; the rest is counted, not kept. */
export const RESULT_KEEP_CHARS = 20_000;
/** How many tool entries keep their full result; older ones keep a preview only. */
export const FULL_RESULTS_KEPT = 50;
const PREVIEW_KEEP_CHARS = 600;

export function initialTranscript(
  servers: ServerView[] = [],
  context: { model: string | null; agent: string | null } = { model: null, agent: null },
): TranscriptState {
  return {
    done: [],
    live: [],
    servers,
    busy: false,
    cancelling: false,
    turnStartedAt: undefined,
    usage: { inputTokens: 0, outputTokens: 0 },
    model: context.model,
    agent: context.agent,
    nextId: 1,
    nextSeq: 1,
    fullResults: [],
    awaitingApproval: [],
    generation: 0,
  };
}

export function transcriptReducer(state: TranscriptState, action: TranscriptAction): TranscriptState {
  return settle(apply(state, action));
}

function apply(state: TranscriptState, action: TranscriptAction): TranscriptState {
  switch (action.type) {
    case 'agent':
      return applyEvent(state, action.event, action.at);
    case 'user_message':
      return {
        ...append(finishAssistant(state), { kind: 'user', text: action.text }),
        busy: true,
        cancelling: false,
        turnStartedAt: action.at,
      };
    case 'banner':
      return append(state, { kind: 'banner', title: action.title, lines: action.lines, level: action.level ?? 'info' });
    case 'notice':
      return append(state, { kind: 'notice', level: action.level, text: action.text });
    case 'command_output':
      return append(state, {
        kind: 'command',
        input: action.input,
        output: action.output,
        isError: action.isError === true,
        table: action.table === true,
      });
    case 'server_state':
      return serverChanged(state, action.server);
    case 'servers':
      return { ...state, servers: action.servers };
    case 'approval_requested': {
      const next = { ...state, awaitingApproval: [...state.awaitingApproval, action.callId] };
      return updateTool(next, action.callId, (t) => (t.status === 'running' ? { ...t, status: 'awaiting_approval' } : t));
    }
    case 'approval_resolved': {
      const next = { ...state, awaitingApproval: state.awaitingApproval.filter((id) => id !== action.callId) };
      // A denial is reported by the tool_denied event that follows, with its reason.
      // The running clock starts when the call is sent: the time a person took to answer is not the call's.
      return updateTool(next, action.callId, (t) =>
        t.status === 'awaiting_approval' && action.allowed ? { ...t, status: 'running', startedAt: action.at ?? t.startedAt } : t,
      );
    }
    case 'turn_cancelled':
      return state.busy ? { ...state, cancelling: true } : state;
    case 'direct_call':
      return addTool(state, {
        callId: action.callId,
        server: action.server,
        tool: action.tool,
        args: action.args,
        at: action.at,
        direct: true,
      });
    case 'context':
      return { ...state, model: action.model, agent: action.agent };
    case 'history':
      return showHistory(state, action.entries);
    case 'elicitation':
      return append(state, elicitationEntry(action));
    case 'sampling_started':
    case 'sampling_denied':
      return { ...append(state, samplingEntry(action, state.nextSeq)), nextSeq: state.nextSeq + 1 };
    case 'sampling_finished': {
      const index = state.live.findIndex((e) => e.kind === 'sampling' && e.requestId === action.requestId);
      if (index === -1) return state;
      return { ...state, live: state.live.map((e, i) => (i === index ? finishSampling(e as SamplingEntry, action) : e)) };
    }
    default:
      return assertNever(action);
  }
}

function applyEvent(state: TranscriptState, event: AgentEvent, at: number): TranscriptState {
  switch (event.type) {
    case 'turn_start':
      return finishAssistant(state);
    case 'text_delta':
      return appendText(state, event.text);
    case 'tool_call':
      return addTool(finishAssistant(state), {
        callId: event.callId,
        server: event.server,
        tool: event.tool,
        args: event.args,
        at,
        direct: false,
      });
    case 'tool_progress': {
      const { callId: _callId, type: _type, ...progress } = event;
      return updateTool(state, event.callId, (t) => ({ ...t, progress }));
    }
    case 'tool_result': {
      const text = boundedResult(
        renderToolResult({ content: event.content, ...(event.structuredContent ? { structuredContent: event.structuredContent } : {}) }),
      );
      const next = updateTool(state, event.callId, (t) => ({
        ...t,
        status: event.isError ? 'error' : 'ok',
        durationMs: event.durationMs,
        result: text,
      }));
      return rememberFullResult(next, event.callId);
    }
    case 'tool_denied':
      return updateTool(state, event.callId, (t) => ({
        ...t,
        status: 'denied',
        result: event.reason,
        durationMs: Math.max(0, at - t.startedAt),
      }));
    case 'tool_search':
      // The search shows as its own tool call and result; /tools shows what is loaded.
      return state;
    case 'hook':
      // A blocked call shows as denied, a blocked prompt as the turn's error; failures and Stop's "go on" as notices.
      if (event.outcome === 'error')
        return append(state, { kind: 'notice', level: 'warn', text: `${event.event} hook "${event.command}" failed: ${event.reason}` });
      return event.outcome === 'block' && event.event !== 'PreToolUse' && event.event !== 'UserPromptSubmit'
        ? append(state, { kind: 'notice', level: 'info', text: `${event.event} hook: ${event.reason}` })
        : state;
    case 'notice':
      return append(state, { kind: 'notice', level: 'warn', text: event.message });
    case 'usage':
      return {
        ...state,
        usage: { inputTokens: state.usage.inputTokens + event.inputTokens, outputTokens: state.usage.outputTokens + event.outputTokens },
      };
    case 'done':
      return finishTurn(state, event);
    default:
      return assertNever(event);
  }
}

function append(state: TranscriptState, entry: NewEntry): TranscriptState {
  return { ...state, live: [...state.live, { ...entry, id: state.nextId }], nextId: state.nextId + 1 };
}

function appendText(state: TranscriptState, text: string): TranscriptState {
  // A notice may land while an answer streams, so the growing entry is not always the last one.
  const index = state.live.findIndex((e) => e.kind === 'assistant' && !e.final);
  const current = index === -1 ? undefined : (state.live[index] as Extract<Entry, { kind: 'assistant' }>);
  const { committed, rest } = splitStreamingMarkdown((current?.text ?? '') + text);
  const replacement: Entry[] = [];
  let nextId = state.nextId;
  let first = current?.first ?? true;
  if (committed !== '') {
    replacement.push({ kind: 'assistant', id: nextId++, text: committed, final: true, first });
    first = false;
  }
  replacement.push({ kind: 'assistant', id: current && committed === '' ? current.id : nextId++, text: rest, final: false, first });
  const live =
    index === -1 ? [...state.live, ...replacement] : [...state.live.slice(0, index), ...replacement, ...state.live.slice(index + 1)];
  return { ...state, live, nextId };
}

/** Ends the answer being streamed: its last block becomes final (an empty tail is dropped). */
function finishAssistant(state: TranscriptState): TranscriptState {
  const index = state.live.findIndex((e) => e.kind === 'assistant' && !e.final);
  if (index === -1) return state;
  const entry = state.live[index] as Extract<Entry, { kind: 'assistant' }>;
  const text = entry.text.replace(/\s+$/, '');
  const live =
    text === '' ? state.live.filter((_, i) => i !== index) : state.live.map((e, i) => (i === index ? { ...entry, text, final: true } : e));
  return { ...state, live };
}

function addTool(
  state: TranscriptState,
  call: { callId: string; server: string; tool: string; args: unknown; at: number; direct: boolean },
): TranscriptState {
  const status = state.awaitingApproval.includes(call.callId) ? 'awaiting_approval' : 'running';
  const entry: NewEntry = {
    kind: 'tool',
    seq: state.nextSeq,
    callId: call.callId,
    server: call.server,
    tool: call.tool,
    args: call.args,
    status,
    startedAt: call.at,
    direct: call.direct,
  };
  return { ...append(state, entry), nextSeq: state.nextSeq + 1 };
}

function updateTool(state: TranscriptState, callId: string, change: (t: ToolCallEntry) => ToolCallEntry): TranscriptState {
  const index = state.live.findIndex((e) => e.kind === 'tool' && e.callId === callId);
  if (index === -1) return state;
  return { ...state, live: state.live.map((e, i) => (i === index ? change(e as ToolCallEntry) : e)) };
}

function finishTurn(state: TranscriptState, done: Extract<AgentEvent, { type: 'done' }>): TranscriptState {
  let next = finishAssistant(state);
  // Calls still open when the run ends (cancelled, or the run failed) will never report a result.
  next = {
    ...next,
    live: next.live.map((e) => (e.kind === 'tool' && !e.direct && !isFinished(e) ? { ...e, status: 'cancelled' as const } : e)),
  };
  if (done.reason === 'cancelled') next = append(next, { kind: 'notice', level: 'warn', text: 'cancelled' });
  else if (done.reason !== 'completed') {
    const message = done.error?.message ?? `the run stopped (${done.reason})`;
    next = append(next, { kind: 'notice', level: 'error', text: done.error?.hint ? `${message}\nhint: ${done.error.hint}` : message });
  }
  return { ...next, busy: false, cancelling: false, turnStartedAt: undefined };
}

function serverChanged(state: TranscriptState, server: ServerView): TranscriptState {
  const before = state.servers.find((s) => s.name === server.name);
  const servers = before ? state.servers.map((s) => (s.name === server.name ? server : s)) : [...state.servers, server];
  const next = { ...state, servers };
  if (server.state === 'failed' && before?.state !== 'failed') {
    const was = before?.state === 'ready' ? 'stopped' : 'could not start';
    return append(next, { kind: 'notice', level: 'error', text: `server ${server.name} ${was}: ${server.error ?? 'unknown reason'}` });
  }
  if (server.state === 'ready' && before?.state === 'failed') {
    return append(next, { kind: 'notice', level: 'info', text: `server ${server.name} is ready again` });
  }
  return next;
}

function showHistory(state: TranscriptState, entries: HistoryEntry[]): TranscriptState {
  const banners = state.done.filter((e) => e.kind === 'banner');
  let { nextId, nextSeq } = state;
  const shown = entries.map((e): Entry => (e.kind === 'tool' ? { ...e, id: nextId++, seq: nextSeq++ } : { ...e, id: nextId++ }));
  return {
    ...state,
    done: [...banners, ...shown],
    live: state.live.filter((e) => !isFinished(e)),
    nextId,
    nextSeq,
    fullResults: [],
    generation: banners.length === state.done.length ? state.generation : state.generation + 1,
  };
}

export function isFinished(entry: Entry): boolean {
  switch (entry.kind) {
    case 'assistant':
      return entry.final;
    case 'tool':
      return entry.status !== 'running' && entry.status !== 'awaiting_approval';
    case 'sampling':
      return entry.status !== 'running';
    default:
      return true;
  }
}

/** Moves the finished entries at the front of `live` to `done`, keeping the transcript's order. */
function settle(state: TranscriptState): TranscriptState {
  let count = 0;
  while (count < state.live.length && isFinished(state.live[count] as Entry)) count++;
  if (count === 0) return state;
  return { ...state, done: [...state.done, ...state.live.slice(0, count)], live: state.live.slice(count) };
}

function boundedResult(text: string): string {
  if (text.length <= RESULT_KEEP_CHARS) return text;
  return `${text.slice(0, RESULT_KEEP_CHARS)}\n… (${text.length - RESULT_KEEP_CHARS} more characters not kept)`;
}

/** Keeps memory flat in long sessions: only the latest results stay whole; older ones keep a preview. */
function rememberFullResult(state: TranscriptState, callId: string): TranscriptState {
  const entry = state.live.find((e) => e.kind === 'tool' && e.callId === callId);
  if (!entry) return state;
  const fullResults = [...state.fullResults, entry.id];
  if (fullResults.length <= FULL_RESULTS_KEPT) return { ...state, fullResults };
  const dropId = fullResults.shift();
  const trim = (e: Entry): Entry =>
    e.id === dropId && e.kind === 'tool' && e.result !== undefined && e.result.length > PREVIEW_KEEP_CHARS
      ? { ...e, result: `${e.result.slice(0, PREVIEW_KEEP_CHARS)}\n… (older result: only the start is kept)` }
      : e;
  return { ...state, fullResults, done: state.done.map(trim), live: state.live.map(trim) };
}

/** A tool entry by its /expand number, wherever it is. */
export function findToolBySeq(state: TranscriptState, seq: number | undefined): ToolCallEntry | undefined {
  const tools = [...state.done, ...state.live].filter((e): e is ToolCallEntry => e.kind === 'tool');
  return seq === undefined ? tools.at(-1) : tools.find((t) => t.seq === seq);
}

/** What /expand shows for number `seq` (a tool call or a sampling request; the latest tool call without one). */
export function expandEntry(state: TranscriptState, seq: number | undefined): string | undefined {
  const entries = [...state.done, ...state.live];
  const sampling = seq === undefined ? undefined : entries.find((e): e is SamplingEntry => e.kind === 'sampling' && e.seq === seq);
  if (sampling) return expandSampling(sampling);
  const entry = findToolBySeq(state, seq);
  if (!entry) return undefined;
  return [
    `#${entry.seq} ${entry.server} › ${entry.tool} (${entry.status})`,
    'arguments:',
    safeJson(entry.args, 2),
    entry.status === 'denied' ? 'denied:' : 'result:',
    entry.result ?? '(none yet)',
  ].join('\n');
}
