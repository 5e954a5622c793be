// The ChatModel behind every OpenAI-compatible endpoint: Chat Completions streaming with usage through
// the shared client and guards (openai-client.ts), and the one place that picks the adapter (model.api).
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { providerOf } from './endpoint.js';
import { ModelError } from './errors.js';
import { OpenAIStreamer, type StreamDecoder } from './openai-client.js';
import { applyChunk, createStreamState, endStream, toOpenAIMessages, toOpenAITool } from './openai-mappers.js';
import { ResponsesModel } from './responses-model.js';
import { defaultApi } from './settings.js';
import type { ChatModel, ModelRequest, ModelSettings, ModelStreamEvent } from './types.js';

/** The request body for one streamed turn. */
export function chatParams(
  settings: ModelSettings,
  request: Pick<ModelRequest, 'messages' | 'tools' | 'maxTokens'>,
): ChatCompletionCreateParamsStreaming {
  const params: ChatCompletionCreateParamsStreaming = {
    model: settings.name,
    messages: toOpenAIMessages(request.messages),
    stream: true,
    stream_options: { include_usage: true },
  };
  // Several servers reject an empty tools array.
  if (request.tools.length > 0) params.tools = request.tools.map(toOpenAITool);
  if (settings.temperature !== undefined) params.temperature = settings.temperature;
  const limits = [settings.maxOutputTokens, request.maxTokens].filter((n): n is number => n !== undefined && Number.isFinite(n) && n > 0);
  if (limits.length > 0) {
    const maxTokens = Math.max(1, Math.floor(Math.min(...limits)));
    // OpenAI's reasoning models refuse max_tokens; most other servers only know max_tokens.
    const provider = providerOf(settings.baseURL);
    if (provider === 'openai' || provider === 'azure') params.max_completion_tokens = maxTokens;
    else params.max_tokens = maxTokens;
  }
  return params;
}

export class OpenAIChatModel implements ChatModel {
  readonly name: string;
  private readonly streamer: OpenAIStreamer;

  constructor(private readonly settings: ModelSettings) {
    this.name = settings.name;
    this.streamer = new OpenAIStreamer(settings);
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const params = chatParams(this.settings, request);
    yield* this.streamer.run(
      request,
      (client, signal) => client.chat.completions.create(params, { signal }),
      () => chatDecoder(this.name),
    );
  }
}

function chatDecoder(name: string): StreamDecoder<ChatCompletionChunk> {
  const state = createStreamState();
  return {
    apply: (chunk) => applyChunk(state, chunk),
    end: () => {
      if (state.chunks === 0) {
        throw new ModelError('bad_response', `the model endpoint sent an empty response (${name})`, {
          hint: 'check that model.baseURL is an OpenAI-compatible API that supports streaming',
        });
      }
      return endStream(state);
    },
  };
}

/** The adapter model.api asks for, or the endpoint's default (defaultApi): the Responses API or Chat Completions. */
export function createOpenAIModel(settings: ModelSettings): ChatModel {
  return (settings.api ?? defaultApi(settings.baseURL)) === 'responses' ? new ResponsesModel(settings) : new OpenAIChatModel(settings);
}
