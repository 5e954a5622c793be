// Tools run directly with /call (no model): each call shown in the transcript like the model's, with
// progress, and cancellable with Ctrl+C like a turn.
import type { AgentEvent } from '../../agent/events.js';
import { AppError, errorMessage } from '../../errors.js';
import type { Hub } from '../../mcp/hub.js';
import type { TranscriptAction } from '../state/transcript.js';

export class DirectCalls {
  private readonly running = new Set<AbortController>();
  private seq = 0;

  constructor(
    private readonly hub: Hub,
    private readonly signal: AbortSignal,
    private readonly dispatch: (action: TranscriptAction) => void,
    /** Counted in /stats. */
    private readonly onFinished: () => void,
  ) {}

  get active(): number {
    return this.running.size;
  }

  /** Ctrl+C (or closing): aborts every call in flight. */
  cancel(reason = new AppError('CANCELLED', 'cancelled with Ctrl+C')): void {
    for (const c of this.running) c.abort(reason);
  }

  async call(server: string, tool: string, args: Record<string, unknown>): Promise<void> {
    const controller = new AbortController();
    this.running.add(controller);
    const callId = `direct-${++this.seq}`;
    const started = performance.now();
    this.dispatch({ type: 'direct_call', callId, server, tool, args, at: Date.now() });
    const finish = (event: Extract<AgentEvent, { type: 'tool_result' }>): void => {
      this.onFinished();
      this.dispatch({ type: 'agent', event, at: Date.now() });
    };
    try {
      const result = await this.hub.callTool(server, tool, args, {
        signal: AbortSignal.any([controller.signal, this.signal]),
        onProgress: (p) => this.dispatch({ type: 'agent', event: { type: 'tool_progress', callId, ...p }, at: Date.now() }),
      });
      finish({
        type: 'tool_result',
        callId,
        isError: result.isError === true,
        content: result.content ?? [],
        ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
        durationMs: Math.round(performance.now() - started),
      });
    } catch (err) {
      finish({
        type: 'tool_result',
        callId,
        isError: true,
        content: [{ type: 'text', text: errorMessage(err) }],
        durationMs: Math.round(performance.now() - started),
      });
    } finally {
      this.running.delete(controller);
    }
  }
}
