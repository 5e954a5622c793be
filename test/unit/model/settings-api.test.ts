// model.api: MCPSH_MODEL_API > model.api > the endpoint's default (responses on api.openai.com, chat elsewhere).
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/model/errors.js';
import { defaultApi, resolveModelSettings, type ModelSettingsInput } from '../../../src/model/settings.js';

function resolve(input: Partial<ModelSettingsInput>) {
  return resolveModelSettings({ flags: {}, env: { OPENAI_API_KEY: 'sk-env' }, ...input });
}

describe('model.api', () => {
  it('is left to the endpoint when nobody chooses: responses for OpenAI itself, chat for every other endpoint', () => {
    expect(resolve({}).api).toBeUndefined();
    expect(defaultApi('https://api.openai.com/v1')).toBe('responses');
    for (const url of [
      'http://localhost:11434/v1',
      'http://127.0.0.1:1234/v1',
      'https://openrouter.ai/api/v1',
      'https://x.openai.azure.com/openai/v1',
      'https://vllm.example.com/v1',
    ]) {
      expect(defaultApi(url), url).toBe('chat');
    }
  });

  it('takes model.api from the config, and MCPSH_MODEL_API over it', () => {
    expect(resolve({ config: { api: 'chat' } }).api).toBe('chat');
    expect(resolve({ config: { api: 'responses', baseURL: 'http://localhost:8000/v1' } }).api).toBe('responses');
    expect(resolve({ config: { api: 'chat' }, env: { OPENAI_API_KEY: 'k', MCPSH_MODEL_API: 'Responses' } }).api).toBe('responses');
  });

  it('refuses any other value, naming where it came from', () => {
    for (const [input, from] of [
      [{ env: { OPENAI_API_KEY: 'k', MCPSH_MODEL_API: 'completions' } }, 'MCPSH_MODEL_API'],
      [{ config: { api: 'assistants' } }, 'model.api in the config'],
    ] as const) {
      let error: unknown;
      try {
        resolve(input);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).message).toContain(from);
      expect((error as ModelError).hint).toContain('"responses"');
    }
  });
});
