// One tools/call on the wire: always with a progress token, progress resetting the call timeout, and a
// separate bound on the total time (maxCallTime) that cancels a call which keeps reporting progress. That
// bound stands still while a person answers a question the server asked during the call (call-clock.ts).
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult as SdkCallToolResult } from '@modelcontextprotocol/client';
import type { CallToolResult, Tool } from './types.js';
import { errorMessage } from '../errors.js';
import { classifyCallError, type CallFailure } from './call-errors.js';
import type { CallClocks } from './call-clock.js';
import { PausableDeadline } from './deadline.js';
import { linkSignals } from '../linked-signal.js';

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the server's callTimeout. */
  timeoutMs?: number;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
  /** The tool as listed (filled in by the connection). */
  toolDefinition?: Tool;
  /** Trace context for the request's `_meta` (traceparent, tracestate), when telemetry is on. */
  meta?: Record<string, string>;
}

export interface CallLimits {
  /** Longest silence (no answer, no progress) before the call times out. */
  timeoutMs: number;
  /** Longest the call may take in total, progress or not (never less than timeoutMs). */
  maxCallTimeMs: number;
  /** The connection's clocks: the bound is paused while a person answers the server (elicitation, sampling). */
  clocks?: CallClocks;
}

/** A failed attempt, classified; the connection decides what follows (retry, reconnect) and what to say. */
export class CallAttemptError extends Error {
  constructor(
    readonly kind: CallFailure,
    readonly error: unknown,
  ) {
    super(errorMessage(error));
  }
}

export async function sendToolCall(
  client: Client,
  tool: string,
  args: Record<string, unknown>,
  options: CallOptions,
  limits: CallLimits,
): Promise<CallToolResult> {
  // The SDK's maxTotalTimeout is only checked when progress arrives, and then gives up without telling
  // the server; an abort sends notifications/cancelled, so the total bound is an abort of our own.
  const totalMs = limits.maxCallTimeMs;
  const total = new PausableDeadline(totalMs, {
    resume: 'remaining',
    reason: () => new Error(`exceeded maxCallTime (${totalMs / 1000}s)`),
  });
  const linked = linkSignals(options.signal, total.signal);
  const signal = linked.signal;
  let progressed = false;
  const send = (): ReturnType<Client['callTool']> =>
    client.callTool(
      { name: tool, arguments: args, ...(options.meta ? { _meta: options.meta } : {}) },
      {
        // The definition mcpsh already holds: the SDK mirrors x-mcp-header parameters and validates output from it.
        ...(options.toolDefinition ? { toolDefinition: options.toolDefinition } : {}),
        signal,
        timeout: limits.timeoutMs,
        resetTimeoutOnProgress: true,
        // A handler makes the SDK send a progress token: every call gets one, watched or not.
        onprogress: (progress) => {
          progressed = true;
          options.onProgress?.({
            progress: progress.progress,
            ...(progress.total !== undefined ? { total: progress.total } : {}),
            ...(progress.message !== undefined ? { message: progress.message } : {}),
          });
        },
      },
    );
  try {
    const result = await (limits.clocks ? limits.clocks.run(total, send) : send());
    return asCallToolResult(result);
  } catch (err) {
    const aborted = options.signal?.aborted === true;
    // Without any progress the call simply went silent for its whole timeout: a plain timeout.
    const kind: CallFailure = total.signal.aborted && !aborted ? (progressed ? 'max_time' : 'timeout') : classifyCallError(err, aborted);
    throw new CallAttemptError(kind, err);
  } finally {
    total.clear();
    linked.dispose();
  }
}

/** structuredContent is kept only when it is a JSON object (the spec's shape), whatever the server sent. */
function asCallToolResult(result: SdkCallToolResult): CallToolResult {
  const { structuredContent } = result;
  if (
    structuredContent === undefined ||
    (typeof structuredContent === 'object' && structuredContent !== null && !Array.isArray(structuredContent))
  )
    return result as CallToolResult;
  const { structuredContent: _dropped, ...rest } = result;
  return rest;
}
