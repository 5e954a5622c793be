// Every provider config shape in docs/models.md, read from the doc itself, loaded by the real config
// loader and run against the scripted server: the path, query and headers each provider needs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createOpenAIModel } from '../../src/model/openai-model.js';
import { defaultApi, resolveModelSettings } from '../../src/model/settings.js';
import type { ModelStreamEvent } from '../../src/model/types.js';
import { startScriptedModel, type ReceivedRequest, type ScriptedModel } from '../fixtures/openai/scripted-server.mjs';

const DOC = fileURLToPath(new URL('../../docs/models.md', import.meta.url));

/** The first ```json block under each `### ` heading of docs/models.md. */
function docConfigs(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const sections = readFileSync(DOC, 'utf8').split(/^### /m).slice(1);
  for (const section of sections) {
    const title = section.slice(0, section.indexOf('\n')).trim();
    const block = /```json\n([\s\S]*?)```/.exec(section);
    if (block?.[1]) out.set(title, JSON.parse(block[1]));
  }
  return out;
}

interface Expectation {
  env: Record<string, string>;
  path: string;
  query?: Record<string, string>;
  name: string;
  headers: Record<string, string | undefined>;
}

const KEYS = {
  OPENAI_API_KEY: 'sk-openai-test-000000',
  OPENROUTER_API_KEY: 'sk-or-test-111111',
  AZURE_OPENAI_API_KEY: 'azure-test-222222',
};

const EXPECTED: Record<string, Expectation> = {
  // OpenAI's own endpoint defaults to the Responses API (docs/models.md); every other one to Chat Completions.
  OpenAI: {
    env: { OPENAI_API_KEY: KEYS.OPENAI_API_KEY },
    path: '/v1/responses',
    name: 'gpt-4.1-mini',
    headers: { authorization: `Bearer ${KEYS.OPENAI_API_KEY}` },
  },
  Ollama: { env: {}, path: '/v1/chat/completions', name: 'llama3.1', headers: { authorization: undefined } },
  vLLM: {
    env: { VLLM_API_KEY: 'vllm-secret' },
    path: '/v1/chat/completions',
    name: 'Qwen/Qwen2.5-7B-Instruct',
    headers: { authorization: 'Bearer vllm-secret' },
  },
  'LM Studio': { env: {}, path: '/v1/chat/completions', name: 'qwen2.5-7b-instruct', headers: { authorization: undefined } },
  'llama.cpp server': { env: {}, path: '/v1/chat/completions', name: 'local', headers: { authorization: undefined } },
  OpenRouter: {
    // OPENAI_API_KEY is set too: the OpenRouter config's own key must win.
    env: { OPENROUTER_API_KEY: KEYS.OPENROUTER_API_KEY, OPENAI_API_KEY: KEYS.OPENAI_API_KEY },
    path: '/api/v1/chat/completions',
    name: 'openai/gpt-4.1-mini',
    headers: {
      authorization: `Bearer ${KEYS.OPENROUTER_API_KEY}`,
      'x-title': 'mcpsh',
      'http-referer': 'https://github.com/you/your-project',
    },
  },
  'Azure OpenAI': {
    env: { AZURE_OPENAI_API_KEY: KEYS.AZURE_OPENAI_API_KEY },
    path: '/openai/v1/chat/completions',
    name: 'my-gpt-4-1-mini',
    headers: { 'api-key': KEYS.AZURE_OPENAI_API_KEY, authorization: undefined },
  },
  'Azure OpenAI, older deployment URLs': {
    env: { AZURE_OPENAI_API_KEY: KEYS.AZURE_OPENAI_API_KEY },
    path: '/openai/deployments/my-gpt-4-1-mini/chat/completions',
    query: { 'api-version': '2024-10-21' },
    name: 'my-gpt-4-1-mini',
    headers: { 'api-key': KEYS.AZURE_OPENAI_API_KEY, authorization: undefined },
  },
};

let server: ScriptedModel;
let dir: string;
beforeAll(async () => {
  server = await startScriptedModel(() => ({ text: 'ok', usage: { prompt_tokens: 1, completion_tokens: 1 } }), { name: 'model-providers' });
  dir = mkdtempSync(join(tmpdir(), 'mcpsh-models-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Loads `config` as a real mcp.config.json with `env`, then resolves the model settings from it. */
async function settingsFromDoc(title: string, config: unknown, env: Record<string, string>) {
  const projectDir = join(dir, title.replace(/\W+/g, '-'));
  const userDir = join(projectDir, 'user');
  rmSync(projectDir, { recursive: true, force: true });
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(projectDir, 'mcp.config.json'), JSON.stringify({ ...(config as object), mcpServers: {} }));
  const loaded = await loadConfig({ cwd: projectDir, env, stopDir: projectDir, userConfigDir: userDir });
  return resolveModelSettings({ config: loaded.config.model ?? {}, modelProblems: loaded.modelProblems, flags: {}, env });
}

/** The same URL path and query on the scripted server (the real host stays in the settings checks). */
function rehost(baseURL: string): string {
  const url = new URL(baseURL);
  return `http://127.0.0.1:${server.port}${url.pathname}`;
}

describe('docs/models.md provider configs', () => {
  const configs = docConfigs();

  it('documents every provider this test knows, and nothing it does not', () => {
    expect([...configs.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [title, expected] of Object.entries(EXPECTED)) {
    it(`${title}: reaches the endpoint with the path, query and headers it needs`, async () => {
      const config = configs.get(title);
      expect(config).toBeDefined();
      const settings = await settingsFromDoc(title, config, expected.env);
      expect(settings.name).toBe(expected.name);

      const modelRequests = () => server.requests.filter((r) => r.method === 'POST');
      const before = modelRequests().length;
      // The API is decided by the real host, before the request is moved to the scripted server.
      const model = createOpenAIModel({
        ...settings,
        api: settings.api ?? defaultApi(settings.baseURL),
        baseURL: rehost(settings.baseURL),
        retryBaseDelayMs: 1,
      });
      const events: ModelStreamEvent[] = [];
      for await (const e of model.stream({ messages: [{ role: 'user', content: 'hi' }], tools: [] })) events.push(e);
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });

      const req = modelRequests()[before] as ReceivedRequest;
      expect(req.path).toBe(expected.path);
      expect(req.query).toEqual(expected.query ?? {});
      expect(req.body.model).toBe(expected.name);
      for (const [header, value] of Object.entries(expected.headers)) expect(req.headers[header], header).toBe(value);
    });
  }

  it('the hosted providers fail with a clear message when their key variable is unset', async () => {
    for (const title of ['OpenAI', 'OpenRouter', 'Azure OpenAI']) {
      const err = await settingsFromDoc(title, configs.get(title), {}).then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string; hint?: string },
      );
      expect(err?.code, title).toBe('CONFIG');
      expect(`${err?.message} ${err?.hint}`, title).toMatch(/OPENAI_API_KEY|OPENROUTER_API_KEY|AZURE_OPENAI_API_KEY/);
    }
  });
});
