// The built chat in a pseudo-terminal with server-everything: a person types `@…` and Tab to attach a
// resource, and a `/server:prompt` with a missing argument that is asked for (and Tab-completed) in the line.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel, type ScriptedModel } from '../fixtures/openai/scripted-server.mjs';
import { isolatedEnv, projectWithConfig } from '../helpers/cli.js';
import { EVERYTHING } from '../helpers/config.js';
import { KEYS, spawnCliInPty } from '../helpers/pty.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('resources and prompts in the chat', () => {
  it('@ev: + Tab attaches a resource; /ev:completable-prompt asks for its missing argument', async () => {
    const model: ScriptedModel = await startScriptedModel([{ text: 'The architecture doc was read.' }, { text: 'Eve is promoted.' }], {
      name: 'chat protocol e2e',
    });
    cleanups.push(() => model.close());
    const cwd = projectWithConfig({ mcpServers: { ev: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } });
    const env = {
      ...process.env,
      ...isolatedEnv(cwd),
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: 'sk-test',
      MCPSH_MODEL: 'scripted-model',
      NO_COLOR: undefined,
    };
    const pty = spawnCliInPty(['--config', join(cwd, 'mcp.config.json')], { cwd, env, cols: 100, rows: 40 });
    cleanups.push(() => pty.kill());
    await pty.waitForText(/servers 1\/1/);

    await pty.type('summarize @e', KEYS.tab);
    await pty.waitForText('› summarize @ev:', { in: 'screen' });
    await pty.type('demo://resource/static/document/arch', KEYS.tab);
    await pty.waitForText('› summarize @ev:demo://resource/static/document/architecture.md', { in: 'screen' });
    await pty.type('briefly', KEYS.enter);
    await pty.waitForText('The architecture doc was read.');
    expect(pty.text()).toMatch(/• attached ev:demo:\/\/resource\/static\/document\/architecture\.md \(text\/markdown, \d+\.\d KB\)/);
    const first = model.chatRequests()[0]?.body.messages.at(-1);
    expect(first?.content).toEqual([
      { type: 'text', text: 'summarize @ev:demo://resource/static/document/architecture.md briefly' },
      {
        type: 'text',
        text: expect.stringMatching(
          /^\[resource ev:demo:\/\/resource\/static\/document\/architecture\.md \(text\/markdown\)\]\n# /,
        ) as unknown,
      },
    ]);

    await pty.type('/ev:compl', KEYS.tab);
    await pty.waitForText('› /ev:completable-prompt', { in: 'screen' });
    await pty.type('department=Sa', KEYS.tab);
    await pty.waitForText('› /ev:completable-prompt department=Sales', { in: 'screen' });
    await pty.type('', KEYS.enter);
    await pty.waitForText('? /ev:completable-prompt needs name: Choose a team member', { in: 'screen' });
    await pty.type('', KEYS.tab);
    await pty.waitForText(/David\s+Eve\s+Frank/, { in: 'screen' });
    await pty.type('E', KEYS.tab);
    await pty.waitForText('name › Eve', { in: 'screen' });
    await pty.type('', KEYS.enter);
    await pty.waitForText('Eve is promoted.');
    expect(pty.text()).toContain('› /ev:completable-prompt department=Sales name=Eve');
    expect(pty.text()).toContain('prompt ev:completable-prompt sent as 1 message:');
    expect(model.chatRequests()[1]?.body.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Please promote Eve to the head of the Sales team.',
    });

    pty.write(KEYS.ctrlD);
    expect((await pty.exited).exitCode).toBe(0);
  });
});
