// Tool-call arguments nested deeper than the bound never reach the agent as such: they are replaced by
// a refusal that is not a JSON object, so the call fails with an error result the model sees.
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { applyChunk, createStreamState, endStream, TOO_DEEP_ARGUMENTS } from '../../../src/model/openai-mappers.js';

const deepText = `{"a":${'['.repeat(300)}${']'.repeat(300)}}`;

function callChunk(args: unknown): ChatCompletionChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 's__t', arguments: args as string } }] },
        finish_reason: null,
      },
    ],
  };
}

function argumentsOf(args: unknown): string | undefined {
  const state = createStreamState();
  applyChunk(state, callChunk(args));
  const call = endStream(state).find((e) => e.type === 'tool_call');
  return call?.type === 'tool_call' ? call.call.arguments : undefined;
}

describe('deep tool-call arguments', () => {
  it('as text: replaced by the refusal', () => {
    expect(argumentsOf(deepText)).toBe(TOO_DEEP_ARGUMENTS);
    expect(JSON.parse(TOO_DEEP_ARGUMENTS)).toBe(
      'mcpsh refused these arguments: they were JSON nested deeper than 256 levels. Send a flatter JSON object.',
    );
  });

  it('as an object (some servers send one): replaced without serialising it', () => {
    expect(argumentsOf(JSON.parse(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`))).toBe(TOO_DEEP_ARGUMENTS);
  });

  it('ordinary arguments pass unchanged', () => {
    expect(argumentsOf('{"q":[[1]]}')).toBe('{"q":[[1]]}');
  });
});
