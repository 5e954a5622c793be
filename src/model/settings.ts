// Which model, where, with which key: flags > agent profile > environment > config > defaults, and
// whether a model is usable at all (without one the chat opens in tools-only mode and says why).
import type { AppError } from '../errors.js';
import { addSecrets } from '../policy/redact.js';
import { displayURL, keyVariableFor, providerOf, type Provider } from './endpoint.js';
import { ModelError } from './errors.js';
import type { ModelApi, ModelSettings } from './types.js';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4.1-mini';

/** The config file's `model` section (after ${VAR} interpolation; unset references stay as `${VAR}`). */
export interface ModelConfigInput {
  name?: string | undefined;
  baseURL?: string | undefined;
  apiKey?: string | undefined;
  temperature?: number | undefined;
  maxOutputTokens?: number | undefined;
  headers?: Record<string, string> | undefined;
  /** Extra URL query parameters, e.g. { "api-version": "2024-10-21" } for Azure's deployment URLs. */
  query?: unknown;
  /** Seconds one response may take in total (model.responseTimeout). */
  responseTimeout?: number | undefined;
  /** Tokens of the context window (model.contextWindow) and the share at which to compact (model.compactAt). */
  contextWindow?: number | undefined;
  compactAt?: number | undefined;
  /** "responses" or "chat" (model.api); unset: decided by the endpoint (apiFor). */
  api?: string | undefined;
}

export interface ModelSettingsInput {
  config?: ModelConfigInput;
  /** LoadedConfig.modelProblems: unset ${VAR}s in the model section, reported only if the field is used. */
  modelProblems?: string[];
  flags: { model?: string; baseUrl?: string };
  /** `agents.<name>.model` of the chosen profile: more specific than MCPSH_MODEL, less than --model. */
  agentModel?: string;
  env: NodeJS.ProcessEnv;
}

export type ModelAvailability = { available: true; settings: ModelSettings } | { available: false; reason: string; error: AppError };

const WITHOUT_MODEL = '`mcpsh tools`, `mcpsh call` and `mcpsh doctor` work without a model.';

/** A string that still holds a ${VAR} the config could not resolve. */
function unresolved(value: string): boolean {
  return /\$\{[^}]*\}/.test(value);
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** Resolves the settings or throws AppError('MODEL') that says what is missing and how to set it. */
export function resolveModelSettings(input: ModelSettingsInput): ModelSettings {
  const { config = {}, flags, env } = input;
  const problems = input.modelProblems ?? [];
  const problemsFor = (field: string): string => {
    const mine = problems.filter((p) => p.includes(`model.${field}`));
    return (mine.length > 0 ? mine : problems).join('; ');
  };
  const configError = (field: string, what: string): ModelError =>
    new ModelError('config', `the model is not configured: ${what}`, {
      hint: `${problemsFor(field) || `fix model.${field} in the config`}. ${WITHOUT_MODEL}`,
    });

  // Base URL and where it came from: the key below must belong to the same place.
  let baseURL = DEFAULT_BASE_URL;
  let baseSource: 'flag' | 'env' | 'config' | 'default' = 'default';
  if (present(flags.baseUrl)) [baseURL, baseSource] = [flags.baseUrl.trim(), 'flag'];
  else if (present(env.OPENAI_BASE_URL)) [baseURL, baseSource] = [env.OPENAI_BASE_URL.trim(), 'env'];
  else if (present(config.baseURL)) {
    if (unresolved(config.baseURL)) throw configError('baseURL', `model.baseURL is "${config.baseURL}"`);
    [baseURL, baseSource] = [config.baseURL.trim(), 'config'];
  }
  checkURL(baseURL, baseSource);

  let name = DEFAULT_MODEL;
  if (present(flags.model)) name = flags.model.trim();
  else if (present(input.agentModel)) name = input.agentModel.trim();
  else if (present(env.MCPSH_MODEL)) name = env.MCPSH_MODEL.trim();
  else if (present(config.name)) {
    if (unresolved(config.name)) throw configError('name', `model.name is "${config.name}"`);
    name = config.name.trim();
  }

  // A config that names its own endpoint and key keeps that key: OPENAI_API_KEY, often set for the
  // whole shell, must not be sent to OpenRouter or Azure just because it exists.
  const configKey = present(config.apiKey) ? config.apiKey : undefined;
  const envKey = present(env.OPENAI_API_KEY) ? env.OPENAI_API_KEY.trim() : undefined;
  // Every key mcpsh could send is a secret from here on, whichever wins: a key pasted into the chat must be
  // masked in the history, transcripts and logs on every path that resolves a model (ask, chat, /model).
  addSecrets([envKey, configKey !== undefined && !unresolved(configKey) ? configKey.trim() : undefined]);
  let apiKey = baseSource === 'config' && configKey !== undefined ? configKey : (envKey ?? configKey);
  if (apiKey !== undefined && unresolved(apiKey)) {
    const provider = providerOf(baseURL);
    if (needsKey(provider, config.headers)) throw noKeyError(baseURL, provider, problemsFor('apiKey'));
    apiKey = undefined;
  }

  const headers = stringRecord(config.headers, 'headers', configError);
  const query = stringRecord(config.query, 'query', configError);
  const provider = providerOf(baseURL);
  if (apiKey === undefined && needsKey(provider, headers)) throw noKeyError(baseURL, provider, '');

  const settings: ModelSettings = { name, baseURL };
  if (apiKey !== undefined) settings.apiKey = apiKey.trim();
  if (typeof config.temperature === 'number' && Number.isFinite(config.temperature)) settings.temperature = config.temperature;
  if (typeof config.maxOutputTokens === 'number' && Number.isInteger(config.maxOutputTokens) && config.maxOutputTokens > 0)
    settings.maxOutputTokens = config.maxOutputTokens;
  if (headers) settings.headers = headers;
  if (query) settings.query = query;
  if (typeof config.responseTimeout === 'number' && config.responseTimeout > 0) settings.responseTimeoutMs = config.responseTimeout * 1000;
  if (typeof config.contextWindow === 'number' && Number.isInteger(config.contextWindow) && config.contextWindow > 0)
    settings.contextWindow = config.contextWindow;
  if (typeof config.compactAt === 'number' && config.compactAt > 0 && config.compactAt <= 1) settings.compactAt = config.compactAt;
  const api = chosenApi(
    present(env.MCPSH_MODEL_API)
      ? { value: env.MCPSH_MODEL_API, from: 'MCPSH_MODEL_API' }
      : config.api === undefined
        ? undefined
        : { value: config.api, from: 'model.api in the config' },
  );
  if (api !== undefined) settings.api = api;
  return settings;
}

/** MCPSH_MODEL_API or model.api, checked; undefined when neither is set (then defaultApi decides). */
function chosenApi(chosen: { value: string; from: string } | undefined): ModelApi | undefined {
  if (chosen === undefined) return undefined;
  const value = chosen.value.trim().toLowerCase();
  if (value === 'responses' || value === 'chat') return value;
  throw new ModelError('config', `the model is not configured: ${chosen.from} is "${chosen.value}"`, {
    hint: `use "responses" (OpenAI's Responses API) or "chat" (Chat Completions), see docs/models.md. ${WITHOUT_MODEL}`,
  });
}

/**
 * The wire API when none is chosen: the Responses API on OpenAI's own endpoint, where it carries reasoning
 * across tool turns; Chat Completions everywhere else, the one API every OpenAI-compatible server (Ollama,
 * vLLM, LM Studio, llama.cpp, OpenRouter, Azure deployments) serves. docs/models.md says why.
 */
export function defaultApi(baseURL: string): ModelApi {
  return providerOf(baseURL) === 'openai' ? 'responses' : 'chat';
}

/** Like resolveModelSettings, but never throws: tells whether a model is usable and, if not, why. */
export function modelAvailability(input: ModelSettingsInput): ModelAvailability {
  try {
    return { available: true, settings: resolveModelSettings(input) };
  } catch (err) {
    const error =
      err instanceof ModelError ? err : new ModelError('config', `the model settings could not be read: ${String(err)}`, { cause: err });
    return { available: false, reason: error.message, error };
  }
}

/** "gpt-4.1-mini at https://api.openai.com/v1", for banners and logs (no credentials). */
export function describeModel(settings: Pick<ModelSettings, 'name' | 'baseURL'>): string {
  return `${settings.name} at ${displayURL(settings.baseURL)}`;
}

const AUTH_HEADERS = new Set(['authorization', 'api-key', 'x-api-key']);

/** Hosted providers that never answer without a key; local and unknown endpoints may not need one. */
function needsKey(provider: Provider, headers: unknown): boolean {
  if (provider !== 'openai' && provider !== 'openrouter' && provider !== 'azure') return false;
  const names = headers !== null && typeof headers === 'object' ? Object.keys(headers).map((h) => h.toLowerCase()) : [];
  return !names.some((h) => AUTH_HEADERS.has(h));
}

function noKeyError(baseURL: string, provider: Provider, problem: string): ModelError {
  const variable = keyVariableFor(provider);
  const setKey =
    provider === 'openai'
      ? `set ${variable}, or put "model": { "apiKey": "\${${variable}}" } in the config`
      : `put "model": { "apiKey": "\${${variable}}" } in the config and set ${variable}`;
  return new ModelError('no_api_key', `no API key for the model endpoint ${displayURL(baseURL)}${problem ? ` (${problem})` : ''}`, {
    hint: `${setKey}; for a local model (Ollama, LM Studio, vLLM, llama.cpp) set model.baseURL instead, e.g. http://localhost:11434/v1 (docs/models.md). ${WITHOUT_MODEL}`,
  });
}

function checkURL(baseURL: string, source: 'flag' | 'env' | 'config' | 'default'): void {
  const from = { flag: '--base-url', env: 'OPENAI_BASE_URL', config: 'model.baseURL in the config', default: 'the default' }[source];
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new ModelError('config', `the model endpoint "${displayURL(baseURL)}" (from ${from}) is not a URL`, {
      hint: 'use the API root, e.g. https://api.openai.com/v1 or http://localhost:11434/v1',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ModelError('config', `the model endpoint "${displayURL(baseURL)}" (from ${from}) must be http(s)`, {
      hint: 'use the API root, e.g. https://api.openai.com/v1 or http://localhost:11434/v1',
    });
  }
}

/** headers / query: string values only; an unset ${VAR} in one is an error (a missing auth header would only fail later). */
function stringRecord(
  value: unknown,
  field: string,
  configError: (field: string, what: string) => ModelError,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw configError(field, `model.${field} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw configError(field, `model.${field}.${k} must be a string`);
    if (unresolved(v)) throw configError(field, `model.${field}.${k} is "${v}"`);
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
