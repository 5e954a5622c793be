// What both OpenAI adapters (Chat Completions and the Responses API) share: the `openai` client behind the
// response guard, the total time bound per response, bounded abortable retries, error classification, tracing.
import OpenAI from 'openai';
import { debugLog, type ModelDebugEvent } from '../debug-log.js';
import { DEFAULT_MODEL_RESPONSE_TIMEOUT_S } from '../config/schema.js';
import { AppError, errorMessage } from '../errors.js';
import { cancelledError, classifyModelError, isAbortError, type ErrorContext } from './errors.js';
import { openaiLogger, screeningFetch } from './response-guard.js';
import { DEFAULT_RETRY, decideRetry, waitForRetry, type RetryPolicy } from './retry.js';
import type { ModelRequest, ModelSettings, ModelStreamEvent } from './types.js';
import { linkSignals } from '../linked-signal.js';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** model.responseTimeout's default (config/schema.ts): one response, however steadily it streams. */
const DEFAULT_RESPONSE_TIMEOUT_MS = DEFAULT_MODEL_RESPONSE_TIMEOUT_S * 1000;
/** Sent when there is no key, then removed from the request: the openai client refuses to start without one. */
const NO_KEY = 'no-key';

/** Turns one streamed response's chunks into port events; made fresh for every attempt. */
export interface StreamDecoder<Chunk> {
  apply(chunk: Chunk): ModelStreamEvent[];
  /** The events once the stream has ended; throws a ModelError when it ended wrong (empty, cut short). */
  end(): ModelStreamEvent[];
}

/** Opens one streamed response (one attempt) with the given signal. */
export type OpenStream<Chunk> = (client: OpenAI, signal: AbortSignal) => Promise<AsyncIterable<Chunk>>;

export class OpenAIStreamer {
  readonly client: OpenAI;
  private readonly retry: RetryPolicy;
  private readonly context: ErrorContext;

  constructor(private readonly settings: ModelSettings) {
    this.retry = {
      maxRetries: settings.maxRetries ?? DEFAULT_RETRY.maxRetries,
      baseDelayMs: settings.retryBaseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: settings.retryMaxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    };
    this.context = {
      model: settings.name,
      baseURL: settings.baseURL,
      secrets: [settings.apiKey ?? '', ...Object.values(settings.headers ?? {})],
    };
    this.client = new OpenAI({
      apiKey: settings.apiKey ?? NO_KEY,
      baseURL: settings.baseURL,
      // mcpsh retries itself: the client's retry sleep cannot be aborted and ignores our bounds.
      maxRetries: 0,
      timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      defaultHeaders: { ...(settings.apiKey === undefined ? { Authorization: null } : {}), ...settings.headers },
      ...(settings.query ? { defaultQuery: settings.query } : {}),
      // Responses are screened before the client parses them; its console output goes to the debug log.
      fetch: screeningFetch(),
      logger: openaiLogger,
      logLevel: 'warn',
    });
  }

  /** Streams one response under the total time bound, retrying clean failures (nothing yielded yet). */
  async *run<Chunk>(request: ModelRequest, open: OpenStream<Chunk>, decoder: () => StreamDecoder<Chunk>): AsyncGenerator<ModelStreamEvent> {
    // One response has a bound on its total time: small chunks forever would otherwise never end.
    const limitMs = this.settings.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
    const bound = AbortSignal.timeout(limitMs);
    const linked = linkSignals(request.signal, bound);
    try {
      yield* this.attempts(request, linked.signal, open, decoder);
    } catch (err) {
      if (bound.aborted && !request.signal?.aborted) throw responseTimeoutError(limitMs);
      throw err;
    } finally {
      linked.dispose();
    }
  }

  private async *attempts<Chunk>(
    request: ModelRequest,
    signal: AbortSignal,
    open: OpenStream<Chunk>,
    decoder: () => StreamDecoder<Chunk>,
  ): AsyncGenerator<ModelStreamEvent> {
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw cancelledError(signal.reason);
      let yielded = false;
      const trace = debugLog.enabled ? modelTrace(this.settings, request, attempt) : undefined;
      try {
        const stream = await open(this.client, signal);
        const state = decoder();
        for await (const chunk of stream) {
          for (const event of state.apply(chunk)) {
            yielded = true;
            trace?.see(event);
            yield event;
          }
        }
        // The openai stream ends quietly when aborted: an abort must not look like a finished answer.
        if (signal.aborted) throw cancelledError(signal.reason);
        for (const event of state.end()) {
          trace?.see(event);
          yield event;
        }
        trace?.end();
        return;
      } catch (err) {
        trace?.end(err);
        if (err instanceof AppError) throw err;
        if (signal.aborted || isAbortError(err)) throw cancelledError(err);
        // Once part of an answer went out, a retry would repeat it: only clean failures are retried.
        const decision = yielded ? { retry: false as const } : decideRetry(err, attempt, this.retry);
        if (!decision.retry) {
          throw classifyModelError(err, { ...this.context, attempts: attempt + 1, ...(decision.reason ? { note: decision.reason } : {}) });
        }
        try {
          await waitForRetry(decision.delayMs, signal);
        } catch (waitErr) {
          throw cancelledError(waitErr);
        }
      }
    }
  }
}

function responseTimeoutError(limitMs: number): AppError {
  return new AppError('TIMEOUT', `the model's response took longer than ${limitMs / 1000}s (model.responseTimeout), so it was cut off`, {
    hint: 'raise model.responseTimeout (seconds) in the config if answers this long are expected',
  });
}

/** Debug-log summary of one request: counts, usage, finish, duration, error; never message content. */
function modelTrace(
  settings: ModelSettings,
  request: ModelRequest,
  attempt: number,
): { see(event: ModelStreamEvent): void; end(err?: unknown): void } {
  const started = performance.now();
  const event: ModelDebugEvent = {
    model: settings.name,
    baseURL: settings.baseURL,
    messages: request.messages.length,
    tools: request.tools.length,
    attempt,
    durationMs: 0,
    toolCalls: 0,
  };
  return {
    see(e) {
      if (e.type === 'usage') event.usage = { inputTokens: e.inputTokens, outputTokens: e.outputTokens };
      if (e.type === 'finish') event.finish = e.reason;
      if (e.type === 'tool_call') event.toolCalls = (event.toolCalls ?? 0) + 1;
    },
    end(err) {
      event.durationMs = Math.round(performance.now() - started);
      if (err !== undefined) event.error = errorMessage(err);
      debugLog.model(event);
    },
  };
}
