// Every provider failure becomes one ModelError that says what happened, where, and what to do (or
// AppError('CANCELLED') for an abort). The API key and header values never reach a message.
// A setup problem (no key, a rejected key, a bad setting) is CONFIG, exit 3; a failing endpoint is MODEL, exit 6.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { AppError, errorMessage, type AppErrorOptions } from '../errors.js';
import { displayURL, isLocalBaseURL, keyVariableFor, providerOf } from './endpoint.js';

export type ModelErrorKind =
  | 'config'
  | 'no_api_key'
  | 'auth'
  | 'permission'
  | 'unreachable'
  | 'timeout'
  | 'unknown_model'
  | 'not_found'
  | 'rate_limit'
  | 'quota'
  | 'server'
  | 'context_length'
  | 'bad_request'
  | 'bad_response';

/**
 * Kinds a person fixes in the setup (key, model name, settings), not by trying again: exit 3 (CONFIG), so a
 * pipeline can tell "fix your setup" from "the endpoint is down or failing" (MODEL, exit 6).
 */
const SETUP_KINDS: ReadonlySet<ModelErrorKind> = new Set(['config', 'no_api_key', 'auth', 'permission', 'unknown_model']);

/** The failure's kind, so callers can react (e.g. shrink the context on `context_length`); code CONFIG or MODEL. */
export class ModelError extends AppError {
  readonly kind: ModelErrorKind;
  readonly status: number | undefined;

  constructor(kind: ModelErrorKind, message: string, options: AppErrorOptions & { status?: number } = {}) {
    super(SETUP_KINDS.has(kind) ? 'CONFIG' : 'MODEL', message, options);
    this.kind = kind;
    this.status = options.status;
  }
}

export interface ErrorContext {
  model: string;
  baseURL: string;
  /** Values to mask in provider messages: the API key, header values. */
  secrets?: readonly string[];
  /** How many requests were made, retries included. */
  attempts?: number;
  /** Appended to the message, e.g. why no retry was made. */
  note?: string;
}

export function cancelledError(cause?: unknown): AppError {
  return new AppError('CANCELLED', 'the model request was cancelled', cause === undefined ? {} : { cause });
}

// Provider messages echo keys back ("Incorrect API key provided: sk-abc***xyz"): mask anything key-shaped too.
const KEY_SHAPED = /\b(sk|rk|pk|sess|org)-[A-Za-z0-9_*.-]{6,}/g;

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of [...secrets].filter((v) => v.length >= 6).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out.replace(KEY_SHAPED, '$1-***');
}

// How providers word "no such model": OpenAI/vLLM "The model `x` does not exist", Ollama "model \"x\" not found",
// OpenRouter (a 400) "x is not a valid model ID".
const MODEL_MISSING =
  /model\b[^\n]{0,80}?(does not exist|not found|is not a valid|is invalid|is not supported)|(unknown|invalid|no such) model|not a valid model/i;

// OpenAI and vLLM ("maximum context length"), Anthropic-style ("prompt is too long"), llama.cpp
// ("the request exceeds the available context size"), LM Studio ("context length"/"context overflow").
const CONTEXT_PATTERNS = [
  /context[_ ]length/i,
  /maximum context/i,
  /context window/i,
  /too many tokens/i,
  /prompt is too long/i,
  /reduce the length of the messages/i,
  /exceeds? the (model'?s? )?(maximum|max)/i,
  /exceeds? the available context size/i,
  /context (size|overflow)/i,
];

/** The provider's own message, without the "400 " prefix the openai client adds. */
function providerMessage(err: APIError): string {
  const body: unknown = err.error;
  const message = body !== null && typeof body === 'object' ? (body as { message?: unknown }).message : undefined;
  return typeof message === 'string' && message !== '' ? message : err.message;
}

function errorCode(err: APIError): string | undefined {
  return typeof err.code === 'string' ? err.code : undefined;
}

/** The first system error code (ECONNREFUSED, ENOTFOUND, ...) along an error's cause chain. */
export function networkCode(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) && code !== 'UND_ERR_SOCKET') return code;
    queue.push((e as { cause?: unknown }).cause);
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner)) queue.push(...(inner as unknown[]));
  }
  return undefined;
}

/** True when fetch refused the port itself (6000, 6667, 9, ... are on the fetch spec's "bad ports" list). */
export function isBadPort(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) if (e.message === 'bad port') return true;
  return false;
}

/** A type guard: `instanceof` alone narrows to APIError<any, any, any>. */
export function isAPIError(err: unknown): err is APIError {
  return err instanceof APIError;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError');
}

/** Turns anything the openai client (or the stream) threw into the AppError a person sees. */
export function classifyModelError(err: unknown, ctx: ErrorContext): AppError {
  const error = classify(err, ctx);
  if (ctx.note !== undefined && error instanceof ModelError) error.message = `${error.message} (${ctx.note})`;
  return error;
}

function classify(err: unknown, ctx: ErrorContext): AppError {
  if (err instanceof AppError) return err;
  if (isAbortError(err)) return cancelledError(err);
  const where = `${ctx.model} at ${displayURL(ctx.baseURL)}`;
  const clean = (text: string): string => redactSecrets(text, ctx.secrets);
  const after = ctx.attempts !== undefined && ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';

  if (err instanceof APIConnectionTimeoutError) {
    return new ModelError('timeout', `the model endpoint ${displayURL(ctx.baseURL)} did not answer in time${after}`, {
      cause: err,
      hint: 'the server may be overloaded or loading the model; try again, or check the endpoint',
    });
  }
  if (err instanceof APIConnectionError) return unreachable(err, ctx, after);
  if (isAPIError(err) && err.status !== undefined) return byStatus(err, err.status, ctx, where, clean, after);
  if (isAPIError(err)) {
    // An error object inside the SSE stream: no HTTP status, only the provider's words.
    const text = clean(providerMessage(err));
    if (CONTEXT_PATTERNS.some((p) => p.test(text)) || errorCode(err) === 'context_length_exceeded') return contextTooLong(where, text, err);
    return new ModelError('server', `the model stream reported an error (${where}): ${text}`, {
      cause: err,
      hint: 'try again; if it keeps happening, check the provider status',
    });
  }
  if (err instanceof SyntaxError || (err instanceof OpenAIError && /JSON/i.test(err.message))) {
    return new ModelError(
      'bad_response',
      `the model endpoint ${displayURL(ctx.baseURL)} sent something that is not an OpenAI-compatible response: ${clean(err.message)}`,
      {
        cause: err,
        hint: 'check model.baseURL: it must be an OpenAI-compatible API root (usually ending in /v1), see docs/models.md',
      },
    );
  }
  return new ModelError('server', `the model request failed (${where}): ${clean(errorMessage(err))}`, { cause: err });
}

function unreachable(err: APIConnectionError, ctx: ErrorContext, after: string): ModelError {
  const url = displayURL(ctx.baseURL);
  const code = networkCode(err);
  const local = isLocalBaseURL(ctx.baseURL);
  const startIt = local ? 'is the model server running? (Ollama: `ollama serve`; LM Studio: start its local server); ' : '';
  const setting = 'the endpoint comes from --base-url, OPENAI_BASE_URL or model.baseURL in the config';
  if (isBadPort(err)) {
    return new ModelError('unreachable', `cannot use the model endpoint ${url}: its port is one that fetch refuses to connect to`, {
      cause: err,
      hint: `run the model server on another port; ${setting}`,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new ModelError('unreachable', `cannot connect to the model endpoint ${url}: connection refused${after}`, {
      cause: err,
      hint: `${startIt}${setting}`,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    let host = url;
    try {
      host = new URL(ctx.baseURL).hostname;
    } catch {
      // keep the whole URL
    }
    return new ModelError('unreachable', `cannot resolve the host of the model endpoint ${url} (${host})${after}`, {
      cause: err,
      hint: `check the spelling and your network/DNS; ${setting}`,
    });
  }
  if (code !== undefined && /CERT|SSL|TLS|UNABLE_TO_VERIFY|SELF_SIGNED/.test(code)) {
    return new ModelError('unreachable', `TLS problem talking to the model endpoint ${url}: ${code}`, {
      cause: err,
      hint: 'a proxy or private CA? point NODE_EXTRA_CA_CERTS at its certificate file',
    });
  }
  return new ModelError('unreachable', `the connection to the model endpoint ${url} failed${code ? ` (${code})` : ''}${after}`, {
    cause: err,
    hint: `check the network and the endpoint; ${setting}`,
  });
}

function byStatus(
  err: APIError,
  status: number,
  ctx: ErrorContext,
  where: string,
  clean: (s: string) => string,
  after: string,
): ModelError {
  const text = clean(providerMessage(err));
  const code = errorCode(err);
  const provider = providerOf(ctx.baseURL);
  const opts = { cause: err, status };
  if (status === 401) {
    return new ModelError('auth', `the model endpoint rejected the API key (401, ${where}): ${text}`, {
      ...opts,
      hint: `check the key in ${keyVariableFor(provider)} or model.apiKey in the config, and that it belongs to this endpoint`,
    });
  }
  if (status === 403) {
    return new ModelError('permission', `the API key may not use this model or endpoint (403, ${where}): ${text}`, {
      ...opts,
      hint: "check the key's project/organisation permissions and model access with your provider",
    });
  }
  if (status === 404 || (status === 400 && (code === 'model_not_found' || MODEL_MISSING.test(text)))) {
    if (code === 'model_not_found' || code === 'DeploymentNotFound' || MODEL_MISSING.test(text)) {
      const pull = provider === 'local' ? ` (Ollama: \`ollama pull ${ctx.model}\`)` : '';
      return new ModelError('unknown_model', `the model "${ctx.model}" is not available at ${displayURL(ctx.baseURL)}: ${text}`, {
        ...opts,
        hint: `set another name with --model, MCPSH_MODEL or model.name in the config${pull}; GET ${displayURL(ctx.baseURL)}/models lists what the endpoint serves`,
      });
    }
    return new ModelError('not_found', `${displayURL(ctx.baseURL)}/chat/completions was not found (404): ${text}`, {
      ...opts,
      hint: 'check model.baseURL: OpenAI-compatible servers usually serve under /v1, e.g. http://localhost:11434/v1 (docs/models.md)',
    });
  }
  if (status === 429) {
    if (code === 'insufficient_quota' || /quota|billing|credits/i.test(text)) {
      return new ModelError(
        'quota',
        `the model provider refused the request: the account is out of quota or credits (429, ${where}): ${text}`,
        {
          ...opts,
          hint: 'check the plan and billing with your provider; retrying will not help',
        },
      );
    }
    return new ModelError('rate_limit', `the model provider is rate limiting requests (429, ${where})${after}: ${text}`, {
      ...opts,
      hint: 'wait a little and try again, or use a model/tier with higher limits',
    });
  }
  if (
    code === 'context_length_exceeded' ||
    ((status === 400 || status === 413 || status === 422) && CONTEXT_PATTERNS.some((p) => p.test(text)))
  ) {
    return contextTooLong(where, text, err, status);
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new ModelError('server', `the model endpoint failed (${status}, ${where})${after}: ${text}`, {
      ...opts,
      hint: "a problem on the provider's side; try again later",
    });
  }
  return new ModelError('bad_request', `the model endpoint rejected the request (${status}, ${where}): ${text}`, {
    ...opts,
    hint: 'the endpoint may not support tool calling or an option mcpsh sent; see docs/models.md for what each provider needs',
  });
}

function contextTooLong(where: string, text: string, cause: unknown, status?: number): ModelError {
  return new ModelError('context_length', `the conversation is too long for the model's context window (${where}): ${text}`, {
    cause,
    ...(status === undefined ? {} : { status }),
    hint: 'start a new conversation, ask for smaller tool outputs, narrow the servers with --server/--agent, or use a model with a longer context',
  });
}
