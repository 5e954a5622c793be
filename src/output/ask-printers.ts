// Printers for `mcpsh ask`: text (the answer streamed to stdout, activity on stderr), json (one
// document at the end) and stream-json (one event per line). Shapes are documented in docs/scripting.md.
// Never imports React or Ink.
import { assertNever, type AgentEvent, type StopReason } from '../agent/events.js';
import type { AppError } from '../errors.js';
import { jsonText } from './safe-text.js';
import { oneLine } from './table.js';
import type { ServerStatusJson } from './servers.js';

export type OutputFormat = 'text' | 'json' | 'stream-json';

export interface ToolCallRecord {
  callId: string;
  name: string;
  server: string;
  tool: string;
  args: unknown;
  status: 'ok' | 'error' | 'denied' | 'running';
  isError: boolean;
  durationMs: number | null;
  reason?: string;
  truncated?: { originalChars: number; keptChars: number };
  /** What the PreToolUse and PostToolUse hooks decided about this call (absent when none decided anything). */
  hooks?: HookRecord[];
}

/** One hook decision or failure (a `hook` event), as the `-o json` document records it. */
export interface HookRecord {
  event: string;
  outcome: 'block' | 'allow' | 'error';
  reason: string;
  command: string;
  callId?: string;
}

/** One `mcpsh_search_tools` call, as the `-o json` document records it. */
export interface ToolSearchRecord {
  query: string;
  matches: string[];
  loaded: string[];
  evicted: string[];
}

export interface AskSummary {
  answer: string;
  stopReason: StopReason;
  exitCode: number;
  turns: number;
  toolCalls: ToolCallRecord[];
  /** Each tool search, in order (absent when the model never searched). */
  toolSearches?: ToolSearchRecord[];
  /** Every hook decision and failure, in order (absent when there was none). */
  hooks?: HookRecord[];
  usage: { inputTokens: number; outputTokens: number };
  /** The model's tokens spent answering servers' sampling requests, kept apart from `usage`. */
  samplingUsage: { requests: number; inputTokens: number; outputTokens: number };
  model: string;
  agent: string | null;
  servers: ServerStatusJson[];
  error?: { code: string; message: string; hint?: string };
}

export interface PrinterStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Collects what every format needs for the summary, whatever it prints along the way. */
export class RunRecorder {
  turns = 0;
  answer = '';
  stopReason: StopReason = 'completed';
  error: AppError | undefined;
  readonly usage = { inputTokens: 0, outputTokens: 0 };
  readonly calls = new Map<string, ToolCallRecord>();
  readonly searches: ToolSearchRecord[] = [];
  readonly hooks: HookRecord[] = [];

  record(event: AgentEvent): void {
    switch (event.type) {
      case 'turn_start':
        this.turns = event.turn;
        break;
      case 'tool_call':
        this.calls.set(event.callId, {
          callId: event.callId,
          name: event.name,
          server: event.server,
          tool: event.tool,
          args: event.args,
          status: 'running',
          isError: false,
          durationMs: null,
        });
        break;
      case 'tool_result': {
        const call = this.calls.get(event.callId);
        if (call)
          Object.assign(call, {
            status: event.isError ? 'error' : 'ok',
            isError: event.isError,
            durationMs: event.durationMs,
            ...(event.truncated ? { truncated: event.truncated } : {}),
          });
        break;
      }
      case 'tool_denied': {
        const call = this.calls.get(event.callId);
        if (call) Object.assign(call, { status: 'denied', reason: event.reason });
        break;
      }
      case 'tool_search':
        this.searches.push({ query: event.query, matches: event.matches, loaded: event.loaded, evicted: event.evicted });
        break;
      case 'hook': {
        const { type: _type, callId, ...decision } = event;
        this.hooks.push({ ...decision, ...(callId !== undefined ? { callId } : {}) });
        const call = callId !== undefined ? this.calls.get(callId) : undefined;
        if (call) call.hooks = [...(call.hooks ?? []), decision];
        break;
      }
      case 'usage':
        this.usage.inputTokens += event.inputTokens;
        this.usage.outputTokens += event.outputTokens;
        break;
      case 'done':
        this.answer = event.text;
        this.stopReason = event.reason;
        this.error = event.error;
        break;
      case 'text_delta':
      case 'tool_progress':
      case 'notice':
        break;
      default:
        assertNever(event);
    }
  }
}

export interface TextPrinterOptions {
  /** Tool activity and notices on stderr (stderr is a TTY, or --verbose). */
  activity: boolean;
  /** --quiet: nothing on stderr but errors. */
  quiet: boolean;
}

/** Text mode: answer text to stdout as it streams; tool activity to stderr when wanted. */
export function textPrinter(streams: PrinterStreams, options: TextPrinterOptions): (event: AgentEvent) => void {
  let endsWithNewline = true;
  let wroteText = false;
  const activity = options.activity && !options.quiet;
  const calls = new Map<string, string>();
  const note = (line: string): void => {
    if (activity) streams.stderr.write(`${line}\n`);
  };
  return (event) => {
    switch (event.type) {
      case 'text_delta':
        streams.stdout.write(event.text);
        wroteText = true;
        endsWithNewline = event.text.endsWith('\n');
        break;
      case 'tool_call': {
        const label = event.server ? `${event.server} › ${event.tool}` : event.name;
        calls.set(event.callId, label);
        note(`→ ${label} ${oneLine(jsonText(event.args), 100)}`);
        break;
      }
      case 'tool_result': {
        const label = calls.get(event.callId) ?? event.callId;
        const first = event.isError
          ? `: ${oneLine(event.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join(' '), 120)}`
          : '';
        note(
          `${event.isError ? '✗' : '✓'} ${label} (${event.durationMs} ms)${first}${event.truncated ? ' [output truncated for the model]' : ''}`,
        );
        break;
      }
      case 'tool_search':
        note(
          `⌕ search "${oneLine(event.query, 60)}": ${event.loaded.length > 0 ? `loaded ${event.loaded.join(', ')}` : 'nothing new loaded'}${event.evicted.length > 0 ? `; unloaded ${event.evicted.join(', ')}` : ''}`,
        );
        break;
      case 'tool_denied':
        note(`⊘ ${calls.get(event.callId) ?? event.callId} denied: ${event.reason}`);
        break;
      case 'hook':
        // A failed hook is said like a notice; decisions are activity (a blocked call also shows as denied).
        if (event.outcome === 'error') {
          if (!options.quiet)
            streams.stderr.write(
              `mcpsh: note: ${event.event} hook "${oneLine(event.command, 80)}" failed: ${oneLine(event.reason, 200)}\n`,
            );
        } else
          note(
            `${event.outcome === 'block' ? '⊘' : '✓'} ${event.event} hook ${event.outcome === 'block' ? 'blocked' : 'allowed'}${event.callId ? ` ${calls.get(event.callId) ?? event.callId}` : ''}: ${oneLine(event.reason, 200)}`,
          );
        break;
      case 'tool_progress':
        note(
          `… ${calls.get(event.callId) ?? event.callId} ${event.total !== undefined ? `${event.progress}/${event.total}` : event.progress}${event.message ? ` ${event.message}` : ''}`,
        );
        break;
      case 'notice':
        if (!options.quiet) streams.stderr.write(`mcpsh: note: ${event.message}\n`);
        break;
      case 'done':
        if (wroteText && !endsWithNewline) streams.stdout.write('\n');
        break;
      case 'turn_start':
        // Text of an earlier turn (before its tool calls) and the next turn's text stay apart.
        if (wroteText && !endsWithNewline) {
          streams.stdout.write('\n');
          endsWithNewline = true;
        }
        break;
      case 'usage':
        break;
      default:
        assertNever(event);
    }
  };
}

/** stream-json: every event as one JSON line, errors as {code, message, hint}. */
export function streamJsonPrinter(streams: PrinterStreams): (event: AgentEvent) => void {
  return (event) => {
    const line = event.type === 'done' && event.error ? { ...event, error: event.error.toJSON() } : event;
    streams.stdout.write(`${jsonText(line)}\n`);
  };
}

export function buildSummary(
  recorder: RunRecorder,
  extra: { exitCode: number; model: string; agent: string | null; servers: ServerStatusJson[]; samplingUsage: AskSummary['samplingUsage'] },
): AskSummary {
  return {
    answer: recorder.answer,
    stopReason: recorder.stopReason,
    exitCode: extra.exitCode,
    turns: recorder.turns,
    toolCalls: [...recorder.calls.values()],
    ...(recorder.searches.length > 0 ? { toolSearches: [...recorder.searches] } : {}),
    ...(recorder.hooks.length > 0 ? { hooks: [...recorder.hooks] } : {}),
    usage: { ...recorder.usage },
    samplingUsage: { ...extra.samplingUsage },
    model: extra.model,
    agent: extra.agent,
    servers: extra.servers,
    ...(recorder.error ? { error: recorder.error.toJSON() } : {}),
  };
}
