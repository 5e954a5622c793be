// `mcpsh ask` over the Responses API (model.api "responses"): the built CLI against the scripted server's
// /v1/responses and a real MCP fixture server; reasoning goes back with the tool turn, output keeps its shape.
import { afterEach, describe, expect, it } from 'vitest';
import type { ScriptedModel, Step } from '../fixtures/openai/scripted-server.mjs';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { scriptedModels } from '../helpers/scripted-models.js';

const basic = { command: process.execPath, args: [fixturePath('basic.mjs')] };
const models = scriptedModels('ask responses e2e');

afterEach(() => models.closeAll());

function project(api: 'responses' | 'chat'): string {
  return projectWithConfig({ model: { api }, mcpServers: { basic }, permissions: { allow: ['basic__echo'] } });
}

// A reasoning model's name, so mcpsh asks for encrypted reasoning.
const env = (model: ScriptedModel, extra: Record<string, string> = {}) => ({
  OPENAI_BASE_URL: model.baseURL,
  OPENAI_API_KEY: 'sk-test-key-abcdef',
  MCPSH_MODEL: 'o4-mini',
  ...extra,
});

const echoThenAnswer: Step[] = [
  {
    reasoning: { summary: ['ask the server'], encryptedContent: 'gAAAA-e2e-first' },
    toolCalls: [{ id: 'c1', name: 'basic__echo', arguments: { message: 'ping' } }],
    usage: { prompt_tokens: 10, completion_tokens: 5 },
  },
  { reasoning: true, text: ['The server said ', 'ping.'], usage: { prompt_tokens: 20, completion_tokens: 4 } },
];

describe('mcpsh ask with model.api "responses"', () => {
  it('calls the MCP tool, sends the reasoning and the tool output back, and prints only the answer', async () => {
    const model = await models.scripted(echoThenAnswer);
    const r = await runCli(['ask', 'what does the server say?'], { cwd: project('responses'), env: env(model) });
    expect(r).toMatchObject({ code: 0, stdout: 'The server said ping.\n', stderr: '' });
    expect(model.chatRequests()).toHaveLength(0);
    const [first, second] = model.responsesRequests();
    expect(first?.body).toMatchObject({ model: 'o4-mini', store: false, include: ['reasoning.encrypted_content'] });
    expect(first?.body.tools?.map((t) => t.name)).toContain('basic__echo');
    const input = second?.body.input as Array<Record<string, unknown>>;
    const at = input.findIndex((i) => i.type === 'reasoning');
    expect(input[at]).toEqual({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'ask the server' }],
      encrypted_content: 'gAAAA-e2e-first',
    });
    expect(input[at + 1]).toEqual({ type: 'function_call', call_id: 'c1', name: 'basic__echo', arguments: '{"message":"ping"}' });
    expect(input[at + 2]).toMatchObject({ type: 'function_call_output', call_id: 'c1' });
    expect(JSON.stringify(input[at + 2])).toContain('ping');
  });

  it('-o json: the same document shape as over Chat Completions', async () => {
    const viaResponses = await models.scripted(echoThenAnswer);
    const viaChat = await models.scripted(echoThenAnswer);
    const a = await runCli(['ask', 'go', '-o', 'json'], { cwd: project('responses'), env: env(viaResponses) });
    const b = await runCli(['ask', 'go', '-o', 'json'], { cwd: project('chat'), env: env(viaChat) });
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(viaResponses.responsesRequests()).toHaveLength(2);
    expect(viaChat.chatRequests()).toHaveLength(2);
    const [docA, docB] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    expect(docA).toMatchObject({
      answer: 'The server said ping.',
      stopReason: 'completed',
      exitCode: 0,
      turns: 2,
      usage: { inputTokens: 30, outputTokens: 9 },
    });
    const shape = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(shape)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.keys(value)
                .sort()
                .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
            )
          : typeof value;
    expect(shape(docA)).toEqual(shape(docB));
    expect(JSON.stringify(docA)).not.toContain('gAAAA');
  });

  it('MCPSH_MODEL_API=chat overrides the config', async () => {
    const model = await models.scripted([{ text: 'via chat' }]);
    const r = await runCli(['ask', 'hi'], { cwd: project('responses'), env: env(model, { MCPSH_MODEL_API: 'chat' }) });
    expect(r).toMatchObject({ code: 0, stdout: 'via chat\n' });
    expect(model.chatRequests()).toHaveLength(1);
    expect(model.responsesRequests()).toHaveLength(0);
  });
});
