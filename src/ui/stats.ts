// What the chat observed in this session, for /stats: tokens, tool calls, and per-server call counts,
// errors and latency (from the calls' own durations, so no extra requests are made to measure).
import type { AgentEvent } from '../agent/events.js';
import { formatTable } from '../output/table.js';
import { formatDuration, formatTokens } from './format.js';

interface ServerCalls {
  calls: number;
  errors: number;
  denied: number;
  /** Recent durations (bounded), for percentiles. */
  durations: number[];
}

const DURATIONS_KEPT = 500;

export class ChatStats {
  turns = 0;
  messages = 0;
  toolCalls = 0;
  directCalls = 0;
  readonly usage = { inputTokens: 0, outputTokens: 0 };
  private readonly servers = new Map<string, ServerCalls>();
  private readonly callServer = new Map<string, string>();

  record(event: AgentEvent): void {
    switch (event.type) {
      case 'turn_start':
        this.turns += 1;
        break;
      case 'tool_call':
        this.toolCalls += 1;
        this.callServer.set(event.callId, event.server || '(unknown)');
        this.server(event.server || '(unknown)').calls += 1;
        break;
      case 'tool_result':
        this.finish(event.callId, event.isError, event.durationMs);
        break;
      case 'tool_denied': {
        const server = this.callServer.get(event.callId);
        if (server !== undefined) this.server(server).denied += 1;
        this.callServer.delete(event.callId);
        break;
      }
      case 'usage':
        this.usage.inputTokens += event.inputTokens;
        this.usage.outputTokens += event.outputTokens;
        break;
      default:
        break;
    }
  }

  /** A /call made by the person. */
  recordDirect(server: string, isError: boolean, durationMs: number): void {
    this.directCalls += 1;
    const s = this.server(server);
    s.calls += 1;
    if (isError) s.errors += 1;
    pushBounded(s.durations, durationMs);
  }

  render(): string {
    const lines = [
      `tokens: ${formatTokens(this.usage.inputTokens)} in, ${formatTokens(this.usage.outputTokens)} out`,
      `messages: ${this.messages}, model turns: ${this.turns}, tool calls: ${this.toolCalls} by the model, ${this.directCalls} with /call`,
    ];
    if (this.servers.size === 0) return [...lines, 'no tool calls yet'].join('\n');
    const rows = [['server', 'calls', 'errors', 'denied', 'p50', 'p95', 'max']];
    for (const [name, s] of this.servers) {
      const sorted = [...s.durations].sort((a, b) => a - b);
      rows.push([name, String(s.calls), String(s.errors), String(s.denied), pct(sorted, 0.5), pct(sorted, 0.95), sorted.length ? formatDuration(sorted.at(-1) as number) : '-']);
    }
    return [...lines, '', formatTable(rows)].join('\n');
  }

  private finish(callId: string, isError: boolean, durationMs: number): void {
    const server = this.callServer.get(callId);
    if (server === undefined) return;
    this.callServer.delete(callId);
    const s = this.server(server);
    if (isError) s.errors += 1;
    pushBounded(s.durations, durationMs);
  }

  private server(name: string): ServerCalls {
    let s = this.servers.get(name);
    if (!s) {
      s = { calls: 0, errors: 0, denied: 0, durations: [] };
      this.servers.set(name, s);
    }
    return s;
  }
}

function pushBounded(list: number[], value: number): void {
  list.push(value);
  if (list.length > DURATIONS_KEPT) list.shift();
}

function pct(sorted: number[], p: number): string {
  if (sorted.length === 0) return '-';
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return formatDuration(sorted[index] as number);
}
