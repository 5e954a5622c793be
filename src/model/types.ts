// The model port: what the agent needs from a language model, independent of any provider's SDK.
// The OpenAI adapters (openai-*.ts: Chat Completions; responses-*.ts: the Responses API) implement it;
// tests drive them against a scripted HTTP server.

export type ContentPart = { type: 'text'; text: string } | { type: 'image'; mimeType: string; data: string /* base64 */ };

export interface ToolCallRequest {
  /** The provider's id for this call; echoed back on the tool message. */
  id: string;
  /** The namespaced tool name the model chose (`<server>__<tool>`). */
  name: string;
  /** The raw argument text the model produced: may be malformed JSON. */
  arguments: string;
}

/**
 * Provider state a model asked to get back with the rest of the conversation: the Responses API's
 * (encrypted) reasoning items. Opaque to everything but the adapter that made it; never displayed.
 */
export interface ReasoningItem {
  /** Which model and endpoint made it ("<model> at <origin><path>"): another could not read it, so it goes back only there. */
  source: string;
  /** The provider's item as it is sent back (its encrypted content exactly as received). */
  item: Record<string, unknown>;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string; toolCalls?: ToolCallRequest[]; reasoning?: ReasoningItem[] }
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
  /** Reasoning to carry on the assistant message this response becomes (the Responses API); not text for people. */
  | { type: 'reasoning'; item: ReasoningItem }
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

/** Which OpenAI wire API an endpoint is spoken to with (model.api). */
export type ModelApi = 'responses' | 'chat';

export interface ModelSettings {
  name: string;
  baseURL: string;
  /** Responses or Chat Completions (MCPSH_MODEL_API, model.api); absent: settings.ts's defaultApi for the endpoint. */
  api?: ModelApi;
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
  /** Tokens the model's context holds (model.contextWindow); absent: src/model/context-windows.ts knows it by name. */
  contextWindow?: number;
  /** Share of the window at which the conversation is compacted (model.compactAt, default 0.8). */
  compactAt?: number;
}
