// The chat with tool search: a 500-tool server and an ordinary one; the model searches through the
// controller's real session, and /tools tells the tools the model has (always, loaded) from the deferred ones.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../../src/config/types.js';
import { Hub } from '../../../src/mcp/hub.js';
import { ChatController } from '../../../src/ui/state/chat-controller.js';
import { runSlashCommand } from '../../../src/ui/input/slash-commands.js';
import { startScriptedModel } from '../../fixtures/openai/scripted-server.mjs';
import { nodeServer } from '../../helpers/config.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/processes.js';
import { scaled } from '../../helpers/time.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('/tools with tool search', () => {
  it(
    'shows which tools are offered (always, loaded by a search) and which are deferred',
    async () => {
      const servers = [nodeServer('many', fixturePath('many-tools.mjs'), ['500']), nodeServer('basic', fixturePath('basic.mjs'))];
      const hub = new Hub(servers, { env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-tool-search-')), clientVersion: '0' });
      cleanups.push(() => hub.close());
      const model = await startScriptedModel(
        [
          { toolCalls: [{ id: 's1', name: 'mcpsh_search_tools', arguments: { query: 'invoice payment reminder', limit: 1 } }] },
          { text: 'found it' },
        ],
        { name: 'tool search chat' },
      );
      cleanups.push(() => model.close());
      const loaded: LoadedConfig = {
        config: { mcpServers: { basic: { command: 'node', alwaysLoad: ['echo', 'add'] } } },
        servers,
        sources: [],
        warnings: [],
        secrets: [],
        modelProblems: [],
      };
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, OPENAI_BASE_URL: model.baseURL, MCPSH_MODEL: 'scripted' };
      const controller = new ChatController({ hub, loaded, env, cwd: process.cwd(), signal: new AbortController().signal, modelFlags: {} });
      cleanups.push(() => Promise.resolve(controller.dispose()));
      controller.start();
      await waitFor(() => servers.every((s) => hub.get(s.name)?.state === 'ready'), { what: 'servers ready', timeoutMs: 30_000 });

      const before = (await runSlashCommand('/tools', controller)).output ?? '';
      expect(before).toMatch(/^tool search is on: 2 of \d+ tools offered to the model \(0 loaded by searches\)/);
      expect(before).toMatch(/many \(500 tools: 0 offered, 500 deferred\)\n {2}… 500 deferred tools \(\/tools many lists them\)/);
      expect(before).toMatch(/basic__echo\s+always/);
      expect(before).toMatch(/basic__fail\s+deferred/);

      await controller.send('remind the customer');
      // The search went through the session's permission path (allowed by default), and loaded the tool.
      expect(model.chatRequests()[1]?.body.tools?.map((t) => t.function.name)).toEqual([
        'basic__echo',
        'basic__add',
        'mcpsh_search_tools',
        'many__send_invoice_reminder',
      ]);

      const after = (await runSlashCommand('/tools', controller)).output ?? '';
      expect(after).toMatch(/^tool search is on: 3 of \d+ tools offered to the model \(1 loaded by searches\)/);
      expect(after).toMatch(/many \(500 tools: 1 offered, 499 deferred\)\n {2}many__send_invoice_reminder\s+loaded/);
      const one = (await runSlashCommand('/tools many', controller)).output ?? '';
      expect(one).toMatch(/many__get_user_0\s+deferred/);
      expect(one.split('\n').filter((l) => l.includes('deferred')).length).toBeGreaterThan(400);
    },
    scaled(60_000),
  );
});
