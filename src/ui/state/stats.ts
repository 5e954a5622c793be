// /stats: what the chat saw in this session (tokens, turns, tool calls, denials) next to each server's
// own health numbers from the hub (calls, errors, MCP round-trip latency, restarts, cache hits).
import type { AgentEvent } from '../../agent/events.js';
import type { MetricsSnapshot } from '../../mcp/metrics.js';
import { formatTable } from '../../output/table.js';
import { formatDuration, formatTokens } from '../text/format.js';

export interface ServerHealth {
  name: string;
  state: string;
  metrics: MetricsSnapshot;
}

export class ChatStats {
  turns = 0;
  messages = 0;
  toolCalls = 0;
  directCalls = 0;
  readonly usage = { inputTokens: 0, outputTokens: 0 };
  private readonly denied = new Map<string, number>();
  private readonly callServer = new Map<string, string>();

  record(event: AgentEvent): void {
    switch (event.type) {
      case 'turn_start':
        this.turns += 1;
        break;
      case 'tool_call':
        this.toolCalls += 1;
        this.callServer.set(event.callId, event.server || '(unknown)');
        break;
      case 'tool_result':
        this.callServer.delete(event.callId);
        break;
      case 'tool_denied': {
        const server = this.callServer.get(event.callId);
        if (server !== undefined) this.denied.set(server, (this.denied.get(server) ?? 0) + 1);
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
  recordDirect(): void {
    this.directCalls += 1;
  }

  render(servers: readonly ServerHealth[]): string {
    const lines = [
      `tokens: ${formatTokens(this.usage.inputTokens)} in, ${formatTokens(this.usage.outputTokens)} out`,
      `messages: ${this.messages}, model turns: ${this.turns}, tool calls: ${this.toolCalls} by the model, ${this.directCalls} with /call`,
    ];
    const rows = [['server', 'state', 'calls', 'errors', 'denied', 'p50', 'p95', 'max', 'restarts', 'cache hits']];
    for (const { name, state, metrics: m } of servers) {
      const ms = (v: number | undefined): string => (v === undefined ? '-' : formatDuration(v));
      const cache = m.cache.hits + m.cache.misses > 0 ? `${m.cache.hits}/${m.cache.hits + m.cache.misses}` : '-';
      rows.push([
        name,
        state,
        String(m.calls),
        String(m.errors),
        String(this.denied.get(name) ?? 0),
        ms(m.latencyMs?.p50),
        ms(m.latencyMs?.p95),
        ms(m.latencyMs?.max),
        String(m.restarts),
        cache,
      ]);
    }
    const last = servers.filter((h) => h.metrics.lastError).map((h) => `last error of ${h.name}: ${h.metrics.lastError ?? ''}`);
    return [...lines, '', formatTable(rows), ...(last.length > 0 ? ['', ...last] : [])].join('\n');
  }
}
