// The model port: what the agent needs from a language model, independent of any provider's SDK.
// The OpenAI adapter (openai-*.ts) implements it; tests drive it against a scripted HTTP server.

export type ContentPart = { type: 'text'; text: string } | { type: 'image'; mimeType: string; data: string /* base64 */ };

export interface ToolCallRequest {
  /** The provider's id for this call; echoed back on the tool message. */
  id: string;
  /** The namespaced tool name the model chose (`<server>__<tool>`). */
  name: string;
  /** The raw argument text the model produced: may be malformed JSON. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string; toolCalls?: ToolCallRequest[] }
  | { role: 'tool'; toolCallId: string; content: string | ContentPart[] };

export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

export interface ModelRequest {
  messages: ChatMessage[];
  tools: ToolSpec[];
  signal?: AbortSignal;
  /** Most output tokens for this request (a sampling request's maxTokens); the smaller of this and the settings' maxOutputTokens applies. */
  maxTokens?: number;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

export type ModelStreamEvent =
  | { type: 'text_delta'; text: string }
  /** Emitted once per call, complete, when the stream has delivered all of its argument deltas. */
  | { type: 'tool_call'; call: ToolCallRequest }
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  | { type: 'finish'; reason: FinishReason };

export interface ChatModel {
  /** The model name as sent to the provider. */
  readonly name: string;
  /**
   * Streams one model response. Provider failures throw AppError('MODEL', ...) with a hint that says
   * what to do; retryable ones (429, 5xx, network) are retried with backoff before that.
   */
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>;
}

export interface ModelSettings {
  name: string;
  baseURL: string;
  apiKey?: string;
  temperature?: number;
  maxOutputTokens?: number;
  headers?: Record<string, string>;
  /** Extra URL query parameters on every request (Azure's classic `api-version`). */
  query?: Record<string, string>;
  /** Retries for 429/5xx/network errors (default 3). */
  maxRetries?: number;
  /** Per-request timeout in ms, until the response starts (default 10 minutes). */
  timeoutMs?: number;
  /** Longest one response may take in total, retries included, however steadily it streams (default 10 minutes). */
  responseTimeoutMs?: number;
  /** First retry delay in ms, doubled per retry, with jitter (default 500; tests make it tiny). */
  retryBaseDelayMs?: number;
  /** Longest wait before one retry, including a server's `retry-after` (default 30 s); a longer `retry-after` fails at once. */
  retryMaxDelayMs?: number;
}
