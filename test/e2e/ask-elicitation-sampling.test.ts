// `mcpsh ask` when servers ask back: elicitation declined or answered with defaults, sampling denied
// or served by the scripted model, each shown as a notice on stderr, and the run still exits 0.
import { afterEach, describe, expect, it } from 'vitest';
import type { ScriptedModel, Step } from '../fixtures/openai/scripted-server.mjs';
import { EVERYTHING } from '../helpers/config.js';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';

const node = process.execPath;
const models = scriptedModels('ask elicitation/sampling e2e');
const scripted = models.scripted;

afterEach(() => models.closeAll());

function project(permissions: Record<string, unknown> = {}): string {
  return projectWithConfig({
    mcpServers: {
      everything: { command: node, args: [EVERYTHING, 'stdio'] },
      elicit: { command: node, args: [fixturePath('elicit.mjs')] },
    },
    permissions: { allow: ['everything__*', 'elicit__*'], ...permissions },
  });
}

/** The tool result the model saw in its second request. */
function toolResultSeen(model: ScriptedModel): string {
  const tool = model.chatRequests()[model.chatRequests().length - 1]?.body.messages.find((m) => m.role === 'tool');
  return typeof tool?.content === 'string' ? tool.content : JSON.stringify(tool?.content);
}

describe('mcpsh ask: elicitation', () => {
  it('declines by default, notes it on stderr and finishes', async () => {
    const model = await scripted([
      { toolCalls: [{ id: 'c1', name: 'everything__trigger-elicitation-request', arguments: {} }] },
      { text: 'They declined.' },
    ]);
    const r = await runCli(['ask', 'ask me something'], { cwd: project(), env: modelEnv(model) });
    expect(r.stdout).toBe('They declined.\n');
    expect(r.stderr).toBe(
      'mcpsh: note: server everything asked for input (form): Please provide inputs for the following fields:; declined (permissions.elicitation is "decline")\n',
    );
    expect(r.code).toBe(0);
    expect(toolResultSeen(model)).toContain('User declined');
  });

  it('permissions.elicitation "defaults" answers a form whose required fields have defaults; a URL request is declined', async () => {
    const model = await scripted([
      {
        toolCalls: [
          { id: 'c1', name: 'elicit__form', arguments: {} },
          { id: 'c2', name: 'elicit__url', arguments: {} },
        ],
      },
      { text: 'Booked.' },
    ]);
    const r = await runCli(['ask', 'book it'], { cwd: project({ elicitation: 'defaults' }), env: modelEnv(model) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Booked.\n');
    const notes = r.stderr.split('\n').filter(Boolean).sort();
    expect(notes).toEqual([
      'mcpsh: note: server elicit asked for input (form): Trip details?; accepted with the schema defaults (city, nights)',
      'mcpsh: note: server elicit asked for input (url): Sign in to continue; declined (ask cannot open a URL for a person)',
    ]);
    const tools = model
      .chatRequests()[1]
      ?.body.messages.filter((m) => m.role === 'tool')
      .map((m) => String(m.content));
    expect(tools).toEqual(['{"action":"accept","content":{"city":"Lisbon","nights":2}}', '{"action":"decline"}']);
  });
});

describe('mcpsh ask: sampling', () => {
  const sample: Step = {
    toolCalls: [{ id: 'c1', name: 'everything__trigger-sampling-request', arguments: { prompt: 'say hi', maxTokens: 10 } }],
  };

  it('is denied unless the server allows it; the server gets an error and the model is asked only by the agent', async () => {
    const model = await scripted([sample, { text: 'No sample.' }]);
    const r = await runCli(['ask', 'sample please'], { cwd: project(), env: modelEnv(model) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No sample.\n');
    expect(r.stderr).toBe(
      'mcpsh: note: server everything asked the model for a completion (sampling); denied: sampling is not allowed for server everything (add it to permissions.sampling in the config)\n',
    );
    expect(model.chatRequests()).toHaveLength(2);
    expect(toolResultSeen(model)).toContain('sampling request declined by mcpsh');
  });

  it('with the server in permissions.sampling the configured model answers the server, shown in stream-json notices', async () => {
    const model = await scripted([sample, { text: 'hi from the sampled model' }, { text: 'Sampled.' }]);
    const r = await runCli(['ask', 'sample please', '-o', 'stream-json'], {
      cwd: project({ sampling: ['everything'] }),
      env: modelEnv(model),
    });
    expect(r.code).toBe(0);
    const events = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; message?: string });
    expect(events.filter((e) => e.type === 'notice').map((e) => e.message)).toEqual([
      'server everything asked the model for a completion (sampling); allowed by its config',
      'sampling for server everything answered by scripted-model (25 characters)',
    ]);
    const samplingRequest = model.chatRequests()[1];
    expect(samplingRequest?.body.messages).toEqual([
      { role: 'system', content: 'You are a helpful test server.' },
      { role: 'user', content: 'Resource trigger-sampling-request context: say hi' },
    ]);
    expect(toolResultSeen(model)).toContain('hi from the sampled model');
  });
});
