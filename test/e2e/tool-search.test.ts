// Tool search with the built CLI: a 10,000-tool server beside an ordinary one. The model searches, then
// calls the deferred tool it found by its own name; no request carries more than 128 tools or grows big.
import { afterEach, describe, expect, it } from 'vitest';
import type { ReceivedRequest } from '../fixtures/openai/scripted-server.mjs';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';

const node = process.execPath;
const models = scriptedModels('tool search e2e');
afterEach(() => models.closeAll());

const many = (count: number): { command: string; args: string[] } => ({
  command: node,
  args: [fixturePath('many-tools.mjs'), String(count)],
});
const basic = { command: node, args: [fixturePath('basic.mjs')] };

const toolNames = (r: ReceivedRequest): string[] => (r.body.tools ?? []).map((t) => t.function.name);
const bodyBytes = (r: ReceivedRequest): number => Buffer.byteLength(JSON.stringify(r.body));

const searchThenCall = [
  { toolCalls: [{ id: 's1', name: 'mcpsh_search_tools', arguments: { query: 'payment reminder for an overdue invoice', limit: 3 } }] },
  { toolCalls: [{ id: 'c1', name: 'many__send_invoice_reminder', arguments: { invoiceNumber: 'INV-42' } }] },
  { text: 'Reminder sent.' },
];

describe('tool search (10,000 tools)', () => {
  it('ask: the model searches, the found tool is offered natively and runs; requests stay small and within 128 tools', async () => {
    const model = await models.scripted(searchThenCall);
    const cwd = projectWithConfig({ mcpServers: { many: many(10_000), basic }, permissions: { allow: ['many__send_invoice_reminder'] } });
    const r = await runCli(['ask', 'remind the customer of invoice INV-42', '-o', 'json'], {
      cwd,
      env: modelEnv(model),
      timeoutMs: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.answer).toBe('Reminder sent.');
    expect(doc.toolSearches).toEqual([
      expect.objectContaining({
        query: 'payment reminder for an overdue invoice',
        loaded: expect.arrayContaining(['many__send_invoice_reminder']),
        evicted: [],
      }),
    ]);
    expect(doc.toolSearches[0].matches[0]).toBe('many__send_invoice_reminder');
    const ran = doc.toolCalls.find((c: { name: string }) => c.name === 'many__send_invoice_reminder');
    expect(ran).toMatchObject({ status: 'ok', server: 'many', tool: 'send_invoice_reminder' });

    const requests = model.chatRequests();
    expect(requests).toHaveLength(3);
    for (const req of requests) {
      expect(toolNames(req).length).toBeLessThanOrEqual(128);
      expect(bodyBytes(req)).toBeLessThan(200_000);
    }
    // First request: the search tool beside the ordinary server's tools, none of the 10,000.
    expect(toolNames(requests[0]!)).toContain('mcpsh_search_tools');
    expect(toolNames(requests[0]!)).not.toContain('many__send_invoice_reminder');
    // After the search: the found tool is an ordinary function with its full schema, appended at the end.
    const second = requests[1]!.body.tools ?? [];
    expect(second.slice(0, toolNames(requests[0]!).length).map((t) => t.function.name)).toEqual(toolNames(requests[0]!));
    const found = second.find((t) => t.function.name === 'many__send_invoice_reminder');
    expect(found?.function.parameters).toMatchObject({ properties: { invoiceNumber: { type: 'string' } }, required: ['invoiceNumber'] });
    // The deferred tool really ran on the server, and its answer went back to the model.
    const toolMessage = requests[2]!.body.messages.find((m) => m.role === 'tool' && m.tool_call_id === 'c1');
    expect(toolMessage?.content).toContain('send_invoice_reminder ran with {"invoiceNumber":"INV-42"}');
    // The loaded set stays stable: the third request offers what the second did, in the same order.
    expect(toolNames(requests[2]!)).toEqual(toolNames(requests[1]!));
  });

  it('stream-json records the search as a tool_search event', async () => {
    const model = await models.scripted(searchThenCall);
    const cwd = projectWithConfig({ mcpServers: { many: many(10_000), basic }, permissions: { allow: ['many__*'] } });
    const r = await runCli(['ask', 'remind them', '-o', 'stream-json'], { cwd, env: modelEnv(model), timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    const search = events.find((e) => e.type === 'tool_search');
    expect(search).toMatchObject({
      type: 'tool_search',
      query: 'payment reminder for an overdue invoice',
      loaded: expect.arrayContaining(['many__send_invoice_reminder']),
    });
  });

  it('a small catalogue is sent whole, with no search tool (auto)', async () => {
    const model = await models.scripted([{ text: 'hi' }]);
    const cwd = projectWithConfig({ mcpServers: { many: many(10), basic } });
    const r = await runCli(['ask', 'hello'], { cwd, env: modelEnv(model) });
    expect(r.code).toBe(0);
    const names = toolNames(model.chatRequests()[0]!);
    expect(names.filter((n) => n.startsWith('many__'))).toHaveLength(10);
    expect(names.filter((n) => n.startsWith('basic__')).length).toBeGreaterThan(0);
    expect(names).not.toContain('mcpsh_search_tools');
  });

  it('a deny rule still denies the search tool', async () => {
    const model = await models.scripted([searchThenCall[0]!, { text: 'could not search' }]);
    const cwd = projectWithConfig({ mcpServers: { many: many(500) }, permissions: { deny: ['mcpsh_search_tools'] } });
    const r = await runCli(['ask', 'remind them', '-o', 'json'], { cwd, env: modelEnv(model), timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.toolCalls[0]).toMatchObject({ name: 'mcpsh_search_tools', status: 'denied' });
    expect(doc.toolSearches).toBeUndefined();
  });
});
