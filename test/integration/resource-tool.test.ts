// The built-in read-resource tool in the agent loop, in-process: the real openai client against the
// scripted model server and a real Hub over fixture servers (stdio), wrapped as `ask` wraps it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessApprovals } from '../../src/agent/approvals.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { RESOURCE_TOOL_NAME, withResourceTool } from '../../src/agent/resource-tool.js';
import { AgentSession } from '../../src/agent/session.js';
import { Hub } from '../../src/mcp/hub.js';
import { createOpenAIModel } from '../../src/model/openai-model.js';
import { mergeRules, type PermissionRules } from '../../src/policy/permissions.js';
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { nodeServer } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';

const logDir = mkdtempSync(join(tmpdir(), 'mcpsh-restool-'));
let hub: Hub;
/** The profile in use: `other` offers resources too, but is not in it. */
const inUse = ['basic', 'paged'];

beforeAll(async () => {
  hub = new Hub(
    [
      nodeServer('basic', fixturePath('basic.mjs')),
      nodeServer('paged', fixturePath('paged-resources.mjs')),
      nodeServer('other', fixturePath('paged-resources.mjs')),
    ],
    {
      env: process.env,
      logDir,
      clientVersion: '0',
    },
  );
  await hub.connectAll();
  expect(hub.connections.map((c) => c.state)).toEqual(['ready', 'ready', 'ready']);
});

afterAll(async () => {
  await hub.close();
});

interface Run {
  events: AgentEvent[];
  model: ScriptedModel;
}

async function run(
  script: Step[],
  options: { resourceTool: boolean; rules?: Partial<PermissionRules>; autoAllowReadOnly?: boolean; budgetChars?: number },
): Promise<Run> {
  const model = await startScriptedModel(script, { name: 'resource tool test' });
  try {
    const session = new AgentSession({
      model: createOpenAIModel({ name: 'scripted', baseURL: model.baseURL, apiKey: 'sk-test', maxRetries: 0 }),
      host: options.resourceTool ? withResourceTool(hub, hub, () => inUse) : hub,
      approve: headlessApprovals({
        rules: mergeRules(options.rules ?? { allow: [RESOURCE_TOOL_NAME] }),
        yes: false,
        autoAllowReadOnly: options.autoAllowReadOnly === true,
      }),
      systemPrompt: 'test',
      maxTurns: 4,
      ...(options.budgetChars ? { budget: { maxChars: options.budgetChars, images: true, maxImageBytes: 1e6 } } : {}),
    });
    const events: AgentEvent[] = [];
    for await (const event of session.run('read it', new AbortController().signal)) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'completed' });
    return { events, model };
  } finally {
    await model.close();
  }
}

/** The tool messages the model received in its n-th request, by call id. */
function toolMessages(model: ScriptedModel, n: number): Record<string, string> {
  const messages = model.chatRequests()[n]?.body.messages ?? [];
  return Object.fromEntries(
    messages.filter((m) => m.role === 'tool').map((m) => [String((m as { tool_call_id?: string }).tool_call_id), String(m.content)]),
  );
}

type SentTool = { type: string; function: { name: string; description?: string; parameters: Record<string, unknown> } };
function sentTools(model: ScriptedModel, n: number): SentTool[] {
  return (model.chatRequests()[n]?.body as { tools?: SentTool[] } | undefined)?.tools ?? [];
}

const read = (id: string, args: Record<string, unknown>): { id: string; name: string; arguments: Record<string, unknown> } => ({
  id,
  name: RESOURCE_TOOL_NAME,
  arguments: args,
});

describe('resourceTool', () => {
  it('offers one tool naming the servers in use with resources, reads through the hub, lists, and refuses other servers', async () => {
    const { events, model } = await run(
      [
        {
          toolCalls: [
            read('text', { server: 'paged', uri: 'fixture://res/07' }),
            read('list', { server: 'paged' }),
            read('outside', { server: 'other', uri: 'fixture://res/01' }),
            read('missing', { server: 'paged', uri: 'fixture://nope' }),
          ],
        },
        { text: 'read' },
      ],
      { resourceTool: true },
    );
    const tool = sentTools(model, 0).find((t) => t.function.name === RESOURCE_TOOL_NAME);
    expect(tool?.function.description).toBe(
      'Read a resource (a file, document or record that an MCP server exposes by URI). Servers with resources: paged. Leave out uri to list the resources and URI templates the server offers.',
    );
    expect(tool?.function.parameters).toMatchObject({ properties: { server: { enum: ['paged'] } }, required: ['server'] });
    expect(sentTools(model, 0).filter((t) => t.function.name === RESOURCE_TOOL_NAME)).toHaveLength(1);

    const seen = toolMessages(model, 1);
    expect(seen.text).toBe('[resource fixture://res/07 (text/plain)]\ncontent of res_07');
    expect(seen.list).toContain(
      'Resources of paged (12):\n- fixture://res/00 — res_00 (application/octet-stream)\n- fixture://res/01 — res_01 (text/plain)',
    );
    expect(seen.list).toContain('URI templates of paged (3):\n- fixture://tpl0/{id} — tpl_0');
    expect(seen.outside).toBe(
      'Error: invalid arguments for mcpsh_read_resource:\n- /server: must be one of "paged" (found "other")\nFix them and call the tool again.',
    );
    expect(seen.missing).toBe('Error: paged: reading fixture://nope failed: MCP error -32002: resource not found: fixture://nope');
    // Events name it like any tool, with mcpsh as its server; reads are results, refusals errors.
    expect(events.find((e) => e.type === 'tool_call' && e.callId === 'text')).toMatchObject({
      name: RESOURCE_TOOL_NAME,
      server: 'mcpsh',
      tool: 'read_resource',
      args: { server: 'paged', uri: 'fixture://res/07' },
    });
    expect(events.find((e) => e.type === 'tool_result' && e.callId === 'text')).toMatchObject({ isError: false });
    expect(events.find((e) => e.type === 'tool_result' && e.callId === 'outside')).toMatchObject({ isError: true });
  });

  it('goes through the permission rules under its own name, and its readOnlyHint counts for autoAllowReadOnly', async () => {
    const denied = await run([{ toolCalls: [read('d', { server: 'paged', uri: 'fixture://res/02' })] }, { text: 'no' }], {
      resourceTool: true,
      rules: { deny: [RESOURCE_TOOL_NAME] },
    });
    expect(denied.events.find((e) => e.type === 'tool_denied')).toEqual({
      type: 'tool_denied',
      callId: 'd',
      reason: `denied by the permission rule "${RESOURCE_TOOL_NAME}"`,
    });
    expect(toolMessages(denied.model, 1).d).not.toContain('content of res_02');

    const unmatched = await run([{ toolCalls: [read('u', { server: 'paged', uri: 'fixture://res/02' })] }, { text: 'no' }], {
      resourceTool: true,
      rules: {},
    });
    expect(unmatched.events.some((e) => e.type === 'tool_denied')).toBe(true);

    const readOnly = await run([{ toolCalls: [read('r', { server: 'paged', uri: 'fixture://res/02' })] }, { text: 'yes' }], {
      resourceTool: true,
      rules: {},
      autoAllowReadOnly: true,
    });
    expect(toolMessages(readOnly.model, 1).r).toContain('content of res_02');
  });

  it('results are held to the same size budget as tool results', async () => {
    const { model, events } = await run([{ toolCalls: [read('list', { server: 'paged' })] }, { text: 'ok' }], {
      resourceTool: true,
      budgetChars: 200,
    });
    expect(toolMessages(model, 1).list).toMatch(/\[output truncated: \d+ of \d+ characters left out here/);
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ truncated: { keptChars: 200 } });
  });

  it('without the switch the model is not offered the tool, and a call to it is an unknown tool', async () => {
    const { model } = await run([{ toolCalls: [read('x', { server: 'paged', uri: 'fixture://res/07' })] }, { text: 'ok' }], {
      resourceTool: false,
    });
    expect(sentTools(model, 0).map((t) => t.function.name)).not.toContain(RESOURCE_TOOL_NAME);
    expect(sentTools(model, 0).length).toBeGreaterThan(0);
    expect(toolMessages(model, 1).x).toMatch(/^Error: there is no tool named "mcpsh_read_resource"/);
  });
});

describe('resourceTool while servers are still starting', () => {
  it('is offered for a starting server (as ask offers cached tools), waits for it, then reads or says it has no resources', async () => {
    const starting = new Hub([nodeServer('paged', fixturePath('paged-resources.mjs')), nodeServer('basic', fixturePath('basic.mjs'))], {
      env: process.env,
      logDir,
      clientVersion: '0',
    });
    try {
      const host = withResourceTool(starting, starting, () => ['paged', 'basic']);
      expect(starting.connections.map((c) => c.state)).toEqual(['connecting', 'connecting']);
      const offered = host.resolve(RESOURCE_TOOL_NAME);
      expect(offered?.tool.description).toContain('Still starting (they may have resources): paged, basic.');
      const connecting = starting.connectAll();
      const [text, none] = await Promise.all([
        offered?.call?.({ server: 'paged', uri: 'fixture://res/07' }, {}),
        offered?.call?.({ server: 'basic', uri: 'fixture://res/07' }, {}),
      ]);
      await connecting;
      expect(text?.isError).not.toBe(true);
      expect(JSON.stringify(text?.content)).toContain('fixture://res/07');
      expect(none).toEqual({
        isError: true,
        content: [{ type: 'text', text: 'server basic offers no resources; nothing to read there.' }],
      });
      // Once both are up, only the server that has resources is named.
      expect(host.resolve(RESOURCE_TOOL_NAME)?.tool.description).toContain('Servers with resources: paged.');
    } finally {
      await starting.close();
    }
  });
});
