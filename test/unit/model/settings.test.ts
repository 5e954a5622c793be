// Model settings: flags > agent profile > environment > config > defaults; a key only where it belongs.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { ModelError } from '../../../src/model/errors.js';
import {
  DEFAULT_BASE_URL,
  DEFAULT_MODEL,
  describeModel,
  modelAvailability,
  resolveModelSettings,
  type ModelSettingsInput,
} from '../../../src/model/settings.js';

function resolve(input: Partial<ModelSettingsInput>) {
  return resolveModelSettings({ flags: {}, env: {}, ...input });
}

function failure(input: Partial<ModelSettingsInput>): ModelError {
  try {
    resolve(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return err as ModelError;
  }
  throw new Error('expected resolveModelSettings to throw');
}

describe('resolveModelSettings', () => {
  it('uses the defaults with just OPENAI_API_KEY', () => {
    expect(resolve({ env: { OPENAI_API_KEY: 'sk-env' } })).toEqual({ name: DEFAULT_MODEL, baseURL: DEFAULT_BASE_URL, apiKey: 'sk-env' });
  });

  it('applies flags > agent model > env > config for the name, and flags > env > config for the endpoint', () => {
    const config = { name: 'cfg-model', baseURL: 'http://localhost:1111/v1' };
    const env = { MCPSH_MODEL: 'env-model', OPENAI_BASE_URL: 'http://localhost:2222/v1' };
    expect(resolve({ config })).toMatchObject({ name: 'cfg-model', baseURL: 'http://localhost:1111/v1' });
    expect(resolve({ config, env })).toMatchObject({ name: 'env-model', baseURL: 'http://localhost:2222/v1' });
    expect(resolve({ config, env, agentModel: 'agent-model' })).toMatchObject({ name: 'agent-model' });
    expect(
      resolve({ config, env, agentModel: 'agent-model', flags: { model: 'flag-model', baseUrl: 'http://localhost:3333/v1' } }),
    ).toMatchObject({
      name: 'flag-model',
      baseURL: 'http://localhost:3333/v1',
    });
  });

  it('prefers OPENAI_API_KEY over the config key for the default or env endpoint', () => {
    expect(resolve({ config: { apiKey: 'sk-config' }, env: { OPENAI_API_KEY: 'sk-env' } }).apiKey).toBe('sk-env');
    expect(resolve({ config: { apiKey: 'sk-config' } }).apiKey).toBe('sk-config');
  });

  it('keeps the config key when the config names its own endpoint, so OPENAI_API_KEY never goes to another provider', () => {
    const s = resolve({ config: { baseURL: 'https://openrouter.ai/api/v1', apiKey: 'or-key' }, env: { OPENAI_API_KEY: 'sk-openai' } });
    expect(s.apiKey).toBe('or-key');
  });

  it('carries temperature, max output tokens, headers and query from the config', () => {
    const s = resolve({
      config: {
        baseURL: 'http://localhost:8000/v1',
        temperature: 0.3,
        maxOutputTokens: 500,
        headers: { 'X-Title': 'mcpsh' },
        query: { 'api-version': '2024-10-21' },
      },
    });
    expect(s).toEqual({
      name: DEFAULT_MODEL,
      baseURL: 'http://localhost:8000/v1',
      temperature: 0.3,
      maxOutputTokens: 500,
      headers: { 'X-Title': 'mcpsh' },
      query: { 'api-version': '2024-10-21' },
    });
  });

  it('needs no key for local endpoints (Ollama, LM Studio, vLLM, llama.cpp)', () => {
    for (const baseURL of [
      'http://localhost:11434/v1',
      'http://127.0.0.1:1234/v1',
      'http://[::1]:8000/v1',
      'http://llm.localhost:8080/v1',
    ]) {
      const s = resolve({ config: { baseURL, name: 'llama3.1' } });
      expect(s.apiKey).toBeUndefined();
    }
  });

  it('explains a missing key for api.openai.com: how to set one, and what works without a model', () => {
    const err = failure({});
    expect(err.code).toBe('CONFIG');
    expect(err.kind).toBe('no_api_key');
    expect(err.message).toContain('https://api.openai.com/v1');
    expect(err.hint).toContain('OPENAI_API_KEY');
    expect(err.hint).toContain('"apiKey": "${OPENAI_API_KEY}"');
    expect(err.hint).toMatch(/mcpsh tools.*mcpsh call.*mcpsh doctor/);
  });

  it("names the unset variable from the config and the provider's usual variable", () => {
    const err = failure({
      config: { baseURL: 'https://openrouter.ai/api/v1', apiKey: '${OPENROUTER_API_KEY}' },
      modelProblems: ['model.apiKey uses ${OPENROUTER_API_KEY}, which is not set; set OPENROUTER_API_KEY (in /p/mcp.config.json)'],
      env: { OPENAI_API_KEY: 'sk-openai' },
    });
    expect(err.kind).toBe('no_api_key');
    expect(err.message).toContain('model.apiKey uses ${OPENROUTER_API_KEY}, which is not set');
    expect(err.hint).toContain('OPENROUTER_API_KEY');
    expect(err.message).not.toContain('sk-openai');
  });

  it('accepts an auth header instead of apiKey (Azure api-key)', () => {
    const s = resolve({ config: { baseURL: 'https://res.openai.azure.com/openai/v1', headers: { 'api-key': 'az' } } });
    expect(s.apiKey).toBeUndefined();
    expect(s.headers).toEqual({ 'api-key': 'az' });
  });

  it('rejects an unresolved ${VAR} in the endpoint or a header, and a base URL that is not http(s)', () => {
    expect(
      failure({ config: { baseURL: '${MY_LLM_URL}' }, modelProblems: ['model.baseURL uses ${MY_LLM_URL}, which is not set'] }).hint,
    ).toContain('MY_LLM_URL');
    expect(failure({ config: { baseURL: 'http://localhost:1/v1', headers: { 'api-key': '${AZ}' } } }).message).toContain(
      'model.headers.api-key',
    );
    expect(failure({ flags: { baseUrl: 'localhost:11434' } }).message).toMatch(/--base-url.*http/);
    expect(failure({ env: { OPENAI_BASE_URL: 'not a url' } }).message).toContain('OPENAI_BASE_URL');
  });

  it('ignores empty values the way an unset one would be', () => {
    const s = resolve({ flags: { model: ' ' }, env: { MCPSH_MODEL: '', OPENAI_BASE_URL: '', OPENAI_API_KEY: 'k' }, config: { name: '' } });
    expect(s).toEqual({ name: DEFAULT_MODEL, baseURL: DEFAULT_BASE_URL, apiKey: 'k' });
  });
});

describe('modelAvailability', () => {
  it('says why no model is usable without throwing', () => {
    const a = modelAvailability({ flags: {}, env: {} });
    expect(a.available).toBe(false);
    if (!a.available) {
      expect(a.reason).toMatch(/no API key/);
      expect(a.error).toBeInstanceOf(AppError);
      expect(a.error.exitCode).toBe(3);
    }
    const b = modelAvailability({ flags: {}, env: { OPENAI_API_KEY: 'k' } });
    expect(b.available && describeModel(b.settings)).toBe(`${DEFAULT_MODEL} at https://api.openai.com/v1`);
  });

  it('does not show credentials in a base URL', () => {
    expect(describeModel({ name: 'm', baseURL: 'https://user:secret@gw.example.com/v1/' })).toBe('m at https://gw.example.com/v1');
  });
});
