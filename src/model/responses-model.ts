// The ChatModel over OpenAI's Responses API (model.api "responses"): stateless streaming with the same
// client, guards, retries and error classification as Chat Completions (openai-client.ts), and reasoning
// items carried across tool turns on the assistant messages they belong to.
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { displayURL } from './endpoint.js';
import { isAPIError, ModelError } from './errors.js';
import { OpenAIStreamer, type StreamDecoder } from './openai-client.js';
import {
  applyResponsesEvent,
  createResponsesState,
  endResponsesStream,
  isReasoningModelName,
  responsesParams,
} from './responses-mappers.js';
import type { ChatModel, ModelRequest, ModelSettings, ModelStreamEvent } from './types.js';

/** A source no reasoning item has: sends none back. */
const NOBODY = '';

export class ResponsesModel implements ChatModel {
  readonly name: string;
  private readonly streamer: OpenAIStreamer;
  /** ReasoningItem.source for this model and endpoint (no credentials: it is saved in transcripts). */
  private readonly source: string;
  /** Cleared for good when the endpoint refuses `include` for this model. */
  private includeReasoning: boolean;

  constructor(private readonly settings: ModelSettings) {
    this.name = settings.name;
    this.streamer = new OpenAIStreamer(settings);
    this.source = `${settings.name} at ${endpointOf(settings.baseURL)}`;
    this.includeReasoning = isReasoningModelName(settings.name);
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    let sendReasoning = true;
    for (;;) {
      const params = responsesParams(this.settings, request, {
        includeReasoning: this.includeReasoning,
        source: sendReasoning ? this.source : NOBODY,
      });
      try {
        yield* this.streamer.run(
          request,
          (client, signal) => client.responses.create(params, { signal }),
          () => responsesDecoder(this.name, this.source),
        );
        return;
      } catch (err) {
        // Both refusals come before any output, so asking again repeats nothing; each is tried once.
        if (params.include !== undefined && refusesEncryptedReasoning(err)) {
          this.includeReasoning = false;
          continue;
        }
        // Reasoning this key cannot read (another organisation's, an old key's): the conversation goes on without it.
        if (
          sendReasoning &&
          cannotReadReasoning(err) &&
          request.messages.some((m) => m.role === 'assistant' && (m.reasoning?.length ?? 0) > 0)
        ) {
          sendReasoning = false;
          continue;
        }
        throw explain(err);
      }
    }
  }
}

/** The endpoint without credentials or query (a key could hide in either): it is written to transcripts. */
function endpointOf(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return displayURL(baseURL);
  }
}

function responsesDecoder(name: string, source: string): StreamDecoder<ResponseStreamEvent> {
  const state = createResponsesState(source);
  return {
    apply: (event) => applyResponsesEvent(state, event),
    end: () => {
      if (state.events === 0) {
        throw new ModelError('bad_response', `the model endpoint sent an empty response (${name})`, {
          hint: 'check that model.baseURL serves the Responses API with streaming, or set model.api to "chat"',
        });
      }
      // Text or calls already went out, but an answer cut short must not pass for a whole one.
      if (state.terminal === undefined) {
        throw new ModelError('bad_response', `the model's response stream ended before the response was complete (${name})`, {
          hint: 'try again; if it keeps happening, check the endpoint or set model.api to "chat"',
        });
      }
      return endResponsesStream(state);
    },
  };
}

/** "Encrypted content is not supported with this model" (param `include`): a model that does not reason. */
function refusesEncryptedReasoning(err: unknown): boolean {
  if (!(err instanceof ModelError) || err.kind !== 'bad_request') return false;
  const cause: unknown = err.cause;
  return (isAPIError(cause) && cause.param === 'include') || /encrypted content is not supported/i.test(err.message);
}

/** OpenAI's words for encrypted reasoning it cannot decrypt or verify. */
function cannotReadReasoning(err: unknown): boolean {
  if (!(err instanceof ModelError) || err.kind !== 'bad_request') return false;
  const cause: unknown = err.cause;
  return (
    (isAPIError(cause) && cause.code === 'invalid_encrypted_content') ||
    /encrypted[_ ]content[^\n]{0,80}(could not|cannot|invalid|verif|decrypt)/i.test(err.message)
  );
}

/** Errors worded for this API: a 404 most likely means the endpoint has no /responses at all. */
function explain(err: unknown): unknown {
  if (!(err instanceof ModelError) || err.kind !== 'not_found') return err;
  return new ModelError('not_found', err.message.replace('/chat/completions', '/responses'), {
    cause: err.cause,
    ...(err.status === undefined ? {} : { status: err.status }),
    hint: 'this endpoint may not serve the Responses API: set model.api to "chat" (or MCPSH_MODEL_API=chat); OpenAI-compatible servers usually serve under /v1 (docs/models.md)',
  });
}
