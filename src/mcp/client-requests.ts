// Requests a server sends to mcpsh: elicitation (ask the user) and sampling (ask the model). The UI
// or `ask` supplies ports; only what a port implements is declared to servers as a capability.
// Sampling honours the request's maxTokens (at the model) and stopSequences (cut here, for any model).
import { ProtocolError, type Client } from '@modelcontextprotocol/client';
import type { ClientCapabilities, CreateMessageRequest, CreateMessageResult, ElicitResult } from './types.js';
import { errorMessage } from '../errors.js';
import type { ChatMessage, ChatModel, ContentPart, FinishReason } from '../model/types.js';
import { safeLine } from '../output/safe-text.js';

export interface ElicitationRequest {
  server: string;
  mode: 'form' | 'url';
  message: string;
  requestedSchema?: Record<string, unknown>;
  url?: string;
  elicitationId?: string;
}
export type ElicitationResult = { action: 'accept'; content?: Record<string, unknown> } | { action: 'decline' } | { action: 'cancel' };
export type ElicitationPort = (request: ElicitationRequest, signal: AbortSignal) => Promise<ElicitationResult>;

export interface SamplingRequest {
  server: string;
  params: CreateMessageRequest['params'];
}
export type SamplingApproval = (
  request: SamplingRequest,
  signal: AbortSignal,
) => Promise<{ allow: true } | { allow: false; reason: string }>;
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}
export type SamplingOutcome = { ok: true; text: string; model: string; usage?: TokenUsage } | { ok: false; error: string };

export interface ClientPorts {
  elicit?: ElicitationPort;
  sampling?: {
    approve: SamplingApproval;
    model: ChatModel;
    /** Called once the model answered (or failed), for the transcript. */
    onOutcome?: (request: SamplingRequest, outcome: SamplingOutcome) => void;
    /** Longest a sampling request may take once approved (default 2 minutes). */
    timeoutMs?: number;
    /** The run's signal (`ask --timeout`, Ctrl+C): aborting it cuts a running request short. */
    signal?: AbortSignal;
  };
}

const DEFAULT_SAMPLING_TIMEOUT_MS = 120_000;
/** The spec's code for "the user rejected the sampling request". */
const USER_REJECTED = -1;

/** Exactly the capabilities the ports implement (none without ports). */
export function clientRequestCapabilities(ports: ClientPorts | undefined): Pick<ClientCapabilities, 'elicitation' | 'sampling'> {
  return {
    ...(ports?.elicit ? { elicitation: { form: {}, url: {} } } : {}),
    ...(ports?.sampling ? { sampling: {} } : {}),
  };
}

/**
 * Called while a person is being asked (an elicitation dialog, a sampling approval): stops the maxCallTime of
 * the call the question belongs to (call-clock.ts); returns the function that starts it again.
 */
export type PersonWait = () => () => void;

/** Runs `ask` with the call's clock stopped (a person's time is not the tool's). */
async function whilePersonAnswers<T>(onPerson: PersonWait | undefined, ask: () => Promise<T>): Promise<T> {
  const resume = onPerson?.();
  try {
    return await ask();
  } finally {
    resume?.();
  }
}

/**
 * Registers the handlers for the declared capabilities (the SDK refuses handlers for undeclared ones). The same
 * handlers serve both eras: legacy servers send these as requests, modern ones as input_required rounds.
 */
export function registerClientRequestHandlers(client: Client, server: string, ports: ClientPorts | undefined, onPerson?: PersonWait): void {
  const elicit = ports?.elicit;
  if (elicit) {
    client.setRequestHandler('elicitation/create', async (request, ctx): Promise<ElicitResult> => {
      const p = request.params;
      const asked: ElicitationRequest =
        p.mode === 'url'
          ? { server, mode: 'url', message: p.message, url: p.url, elicitationId: p.elicitationId }
          : { server, mode: 'form', message: p.message, requestedSchema: p.requestedSchema };
      const result = await whilePersonAnswers(onPerson, () => elicit(asked, ctx.mcpReq.signal));
      return result.action === 'accept'
        ? { action: 'accept', ...(result.content ? { content: result.content as ElicitResult['content'] } : {}) }
        : { action: result.action };
    });
  }
  const sampling = ports?.sampling;
  if (sampling) {
    client.setRequestHandler('sampling/createMessage', async (request, ctx): Promise<CreateMessageResult> => {
      const requestSignal = ctx.mcpReq.signal;
      const asked: SamplingRequest = { server, params: request.params };
      const verdict = await whilePersonAnswers(onPerson, () => sampling.approve(asked, requestSignal));
      if (!verdict.allow) throw new ProtocolError(USER_REJECTED, `sampling request declined by mcpsh: ${verdict.reason}`);
      const run = sampling.signal;
      const signal = AbortSignal.any([
        requestSignal,
        AbortSignal.timeout(sampling.timeoutMs ?? DEFAULT_SAMPLING_TIMEOUT_MS),
        ...(run ? [run] : []),
      ]);
      try {
        const { text, stopReason, usage } = await sample(sampling.model, request.params, signal);
        sampling.onOutcome?.(asked, { ok: true, text, model: sampling.model.name, ...(usage ? { usage } : {}) });
        return { role: 'assistant', content: { type: 'text', text }, model: sampling.model.name, stopReason };
      } catch (err) {
        const error = run?.aborted
          ? `cut short: ${isTimeout(run.reason) ? 'the run timed out' : 'the run was cancelled'}`
          : signal.aborted && !requestSignal.aborted
            ? 'the model did not answer in time'
            : errorMessage(err);
        sampling.onOutcome?.(asked, { ok: false, error });
        throw new ProtocolError(USER_REJECTED, `sampling failed in mcpsh: ${error}`);
      }
    });
  }
}

interface Sampled {
  text: string;
  /** As MCP names it: endTurn, maxTokens, stopSequence. */
  stopReason: string;
  usage?: TokenUsage;
}

/** One model response to the server's messages, without tools, within the request's maxTokens. */
async function sample(model: ChatModel, params: CreateMessageRequest['params'], signal: AbortSignal): Promise<Sampled> {
  const messages: ChatMessage[] = params.systemPrompt ? [{ role: 'system', content: params.systemPrompt }] : [];
  for (const message of params.messages) {
    const blocks = Array.isArray(message.content) ? message.content : [message.content];
    const parts: ContentPart[] = blocks.map((block): ContentPart => {
      if (block.type === 'text') return { type: 'text', text: block.text };
      if (block.type === 'image') return { type: 'image', mimeType: block.mimeType, data: block.data };
      return { type: 'text', text: `[${block.type} content omitted]` };
    });
    if (message.role === 'user')
      messages.push({
        role: 'user',
        content: parts.every((part) => part.type === 'text') ? parts.map((part) => part.text).join('\n') : parts,
      });
    else messages.push({ role: 'assistant', content: parts.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n') });
  }
  // Stop sequences are applied to the text as it streams: several models refuse the `stop` parameter.
  const stops = (params.stopSequences ?? []).filter((stop) => stop !== '');
  let text = '';
  let reason: FinishReason | undefined;
  let usage: TokenUsage | undefined;
  for await (const event of model.stream({
    messages,
    tools: [],
    signal,
    ...(params.maxTokens > 0 ? { maxTokens: params.maxTokens } : {}),
  })) {
    signal.throwIfAborted();
    if (event.type === 'text_delta') {
      text += event.text;
      const cut = firstStop(text, stops);
      // Leaving the loop ends the model's stream (and its HTTP request).
      if (cut !== undefined) return { text: text.slice(0, cut), stopReason: 'stopSequence', ...(usage ? { usage } : {}) };
    }
    if (event.type === 'finish') reason = event.reason;
    if (event.type === 'usage')
      usage = { inputTokens: (usage?.inputTokens ?? 0) + event.inputTokens, outputTokens: (usage?.outputTokens ?? 0) + event.outputTokens };
  }
  signal.throwIfAborted();
  return { text, stopReason: reason === 'length' ? 'maxTokens' : 'endTurn', ...(usage ? { usage } : {}) };
}

function firstStop(text: string, stops: readonly string[]): number | undefined {
  const found = stops.map((stop) => text.indexOf(stop)).filter((at) => at >= 0);
  return found.length > 0 ? Math.min(...found) : undefined;
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

/** Form answers from the schema's `default`s, when every required field has one (headless `ask`). */
export function defaultsFor(schema: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const properties = (schema?.properties ?? {}) as Record<string, { default?: unknown } | undefined>;
  const required = Array.isArray(schema?.required) ? (schema.required as unknown[]) : [];
  const content: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties))
    if (property && property.default !== undefined) content[name] = property.default;
  return required.every((name) => typeof name === 'string' && Object.hasOwn(content, name)) ? content : undefined;
}

export interface HeadlessPortOptions {
  /** The config's `permissions.elicitation` (default decline). */
  elicitation: 'decline' | 'defaults';
  /** Servers whose sampling requests are served (the config's `permissions.sampling`). */
  samplingServers: ReadonlySet<string>;
  /** The model that serves sampling; without one every request is denied. */
  model: ChatModel | undefined;
  /** Each request and its outcome, one line, for the transcript (stderr / stream-json notices). */
  notice: (message: string) => void;
  /** The run's signal: a sampling request still running when the run ends is cut short. */
  signal?: AbortSignal;
  /** Totals that every sampling request served adds to (`ask -o json` reports them). */
  usage?: SamplingUsage;
}

/** What sampling cost in a run: requests the model answered, and their tokens. */
export interface SamplingUsage extends TokenUsage {
  requests: number;
}

/** The ports for `ask`: never a person to ask, never a wait; every decision is written as a notice. */
export function headlessClientPorts(options: HeadlessPortOptions): ClientPorts {
  const elicit: ElicitationPort = (request) => {
    const what = `server ${request.server} asked for input (${request.mode}): ${safeLine(request.message)}`;
    if (request.mode === 'url') {
      options.notice(`${what}; declined (ask cannot open a URL for a person)`);
      return Promise.resolve({ action: 'decline' });
    }
    const useDefaults = options.elicitation === 'defaults';
    const content = useDefaults ? defaultsFor(request.requestedSchema) : undefined;
    if (content) {
      options.notice(`${what}; accepted with the schema defaults (${Object.keys(content).join(', ') || 'no fields'})`);
      return Promise.resolve({ action: 'accept', content });
    }
    const why = useDefaults ? 'a required field has no default' : 'permissions.elicitation is "decline"';
    options.notice(`${what}; declined (${why})`);
    return Promise.resolve({ action: 'decline' });
  };
  const model = options.model;
  return {
    elicit,
    ...(model
      ? {
          sampling: {
            model,
            ...(options.signal ? { signal: options.signal } : {}),
            approve: (request) => {
              if (options.samplingServers.has(request.server)) {
                options.notice(`server ${request.server} asked the model for a completion (sampling); allowed by its config`);
                return Promise.resolve({ allow: true });
              }
              const reason = `sampling is not allowed for server ${request.server} (add it to permissions.sampling in the config)`;
              options.notice(`server ${request.server} asked the model for a completion (sampling); denied: ${reason}`);
              return Promise.resolve({ allow: false, reason });
            },
            onOutcome: (request, outcome) => {
              if (outcome.ok && options.usage) {
                options.usage.requests += 1;
                options.usage.inputTokens += outcome.usage?.inputTokens ?? 0;
                options.usage.outputTokens += outcome.usage?.outputTokens ?? 0;
              }
              options.notice(
                outcome.ok
                  ? `sampling for server ${request.server} answered by ${outcome.model} (${outcome.text.length} characters)`
                  : `sampling for server ${request.server} failed: ${outcome.error}`,
              );
            },
          },
        }
      : {}),
  };
}
