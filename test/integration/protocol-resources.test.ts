// Resources, prompts and completion over real stdio: server-everything and the paged-resources fixture
// (every page of each list, list_changed refreshes, reads, errors mapped to AppError codes).
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { Hub } from '../../src/mcp/hub.js';
import { EVERYTHING, nodeServer } from '../helpers/config.js';
import { connectionPool } from '../helpers/connections.js';
import { fixturePath } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/processes.js';

const pool = connectionPool('mcpsh-proto-');
const { logDir, connected } = pool;

afterEach(() => pool.closeAll());

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('resources', () => {
  it('lists every page of resources and templates, and reads text and blobs', async () => {
    const c = await connected(nodeServer('paged', fixturePath('paged-resources.mjs')));
    const resources = await c.features.resources();
    expect(resources.map((r) => r.name)).toEqual(Array.from({ length: 12 }, (_, i) => `res_${String(i).padStart(2, '0')}`));
    expect((await c.features.resourceTemplates()).map((t) => t.uriTemplate)).toEqual([
      'fixture://tpl0/{id}',
      'fixture://tpl1/{id}',
      'fixture://tpl2/{id}',
    ]);
    const text = await c.features.readResource('fixture://res/07');
    expect(text.contents).toEqual([{ uri: 'fixture://res/07', mimeType: 'text/plain', text: 'content of res_07' }]);
    const blob = await c.features.readResource('fixture://res/00');
    expect(blob.contents[0]).toMatchObject({ uri: 'fixture://res/00', blob: Buffer.from([0, 1, 2, 3, 255]).toString('base64') });
  });

  it('an unknown uri is a TOOL_ERROR naming the server and the uri', async () => {
    const c = await connected(nodeServer('paged', fixturePath('paged-resources.mjs')));
    const err = await rejection(c.features.readResource('fixture://nope'));
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toContain('paged: reading fixture://nope failed');
    expect(err.message).toContain('resource not found: fixture://nope');
  });

  it('a server without the resources capability says so', async () => {
    const c = await connected(nodeServer('basic', fixturePath('basic.mjs')));
    const err = await rejection(c.features.resources());
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toBe('server basic does not offer resources (it did not declare the resources capability)');
    expect((await rejection(c.features.prompts())).message).toContain('does not offer prompts');
  });

  it('re-reads resources and prompts on their list_changed notifications', async () => {
    const c = await connected(nodeServer('paged', fixturePath('paged-resources.mjs')));
    expect(await c.features.resources()).toHaveLength(12);
    expect(await c.features.prompts()).toHaveLength(7);
    const changed: string[] = [];
    c.features.onListChanged((kind) => changed.push(kind));
    await c.callTool('add_items', {});
    await waitFor(() => changed.includes('resources') && changed.includes('prompts'), { timeoutMs: 5000 });
    // The cache was refreshed before the listeners ran: no new request is needed to see the new items.
    expect((await c.features.resources()).map((r) => r.name)).toContain('res_12');
    expect((await c.features.prompts()).map((p) => p.name)).toContain('prompt_7');
  });

  it('server-everything: resources, templates and a read over stdio', async () => {
    const c = await connected(nodeServer('everything', EVERYTHING, ['stdio']));
    const resources = await c.features.resources();
    expect(resources.length).toBeGreaterThan(0);
    const templates = await c.features.resourceTemplates();
    expect(templates.map((t) => t.uriTemplate)).toContain('demo://resource/dynamic/text/{resourceId}');
    const read = await c.features.readResource('demo://resource/dynamic/text/3');
    expect(read.contents[0]).toMatchObject({ uri: 'demo://resource/dynamic/text/3', mimeType: 'text/plain' });
    expect((read.contents[0] as { text: string }).text).toMatch(/^Resource 3: This is a plaintext resource/);
  });
});

describe('prompts and completion', () => {
  it('lists every page of prompts and gets one with arguments', async () => {
    const c = await connected(nodeServer('paged', fixturePath('paged-resources.mjs')));
    const prompts = await c.features.prompts();
    expect(prompts.map((p) => p.name)).toEqual(['prompt_0', 'prompt_1', 'prompt_2', 'prompt_3', 'prompt_4', 'prompt_5', 'prompt_6']);
    const got = await c.features.getPrompt('prompt_3', { topic: 'cats', tone: 'dry' });
    expect(got.messages[0]).toEqual({ role: 'user', content: { type: 'text', text: 'Tell me about cats (dry).' } });
  });

  it('server-everything: a prompt with arguments, and argument completion through the hub', async () => {
    const hub = new Hub([nodeServer('everything', EVERYTHING, ['stdio'])], { env: process.env, logDir, clientVersion: '0' });
    pool.track(hub);
    await hub.connectAll();
    const c = hub.get('everything');
    if (!c) throw new Error('no connection');
    const prompts = await c.features.prompts();
    const args = prompts.find((p) => p.name === 'args-prompt');
    expect(args?.arguments).toEqual([
      { name: 'city', description: 'Name of the city', required: true },
      { name: 'state', required: false },
    ]);
    const got = await c.features.getPrompt('args-prompt', { city: 'Lyon', state: 'Rhône' });
    expect(got.messages).toEqual([{ role: 'user', content: { type: 'text', text: "What's weather in Lyon, Rhône?" } }]);
    const departments = await hub.complete(
      'everything',
      { type: 'ref/prompt', name: 'completable-prompt' },
      { name: 'department', value: 'S' },
    );
    expect(departments.values).toEqual(['Sales', 'Support']);
    const names = await hub.complete(
      'everything',
      { type: 'ref/prompt', name: 'completable-prompt' },
      { name: 'name', value: '', context: { department: 'Sales' } },
    );
    expect(names.values).toEqual(['David', 'Eve', 'Frank']);
  });

  it('completion on a server without the capability is an empty list, not an error', async () => {
    const c = await connected(nodeServer('basic', fixturePath('basic.mjs')));
    expect(await c.complete({ type: 'ref/prompt', name: 'x' }, { name: 'a', value: '' })).toEqual({ values: [] });
  });
});
