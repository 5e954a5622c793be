// The chat under a managed policy, in a pty as a person sees it: /servers lists a blocked server as `blocked`
// with the policy's reason, and it is never started (its marker directory stays empty).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel } from '../fixtures/openai/scripted-server.mjs';
import { isolatedEnv, projectWithConfig } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { spawnCliInPty, KEYS } from '../helpers/pty.js';
import { scaled } from '../helpers/time.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('the chat and a managed policy', () => {
  it(
    '/servers shows the blocked server as blocked, with the rule, and it never starts',
    async () => {
      const model = await startScriptedModel([{ text: 'unused' }], { name: 'managed policy chat' });
      cleanups.push(() => model.close());
      const cwd = projectWithConfig({});
      const markers = join(cwd, 'markers');
      mkdirSync(markers);
      const probe = { command: process.execPath, args: [fixturePath('start-probe.mjs'), markers] };
      writeFileSync(
        join(cwd, 'mcp.config.json'),
        JSON.stringify({ mcpServers: { basic: { command: process.execPath, args: [fixturePath('basic.mjs')] }, probe } }),
      );
      const policyFile = join(cwd, 'managed-config.json');
      writeFileSync(policyFile, JSON.stringify({ allowedMcpServers: [{ serverName: 'basic' }] }));
      const env = {
        ...process.env,
        ...isolatedEnv(cwd),
        MCPSH_MANAGED_CONFIG: policyFile,
        OPENAI_BASE_URL: model.baseURL,
        OPENAI_API_KEY: 'sk-test',
        MCPSH_MODEL: 'scripted-model',
      };
      const pty = spawnCliInPty([], { cwd, env, cols: 200 });
      cleanups.push(() => pty.kill());
      await pty.waitForText(/servers 1\/2/);
      await pty.type('/servers', KEYS.enter);
      await pty.waitForText(
        `probe: blocked by the managed policy (${policyFile}): its name "probe" matches none of the serverName entries of allowedMcpServers`,
      );
      expect(pty.lines().some((l) => /^\s*probe\s+blocked\s+stdio\s+-\s+-\s*$/.test(l))).toBe(true);
      pty.write(KEYS.ctrlD);
      await pty.exited;
      expect(readdirSync(markers)).toEqual([]);
    },
    scaled(60_000),
  );
});
