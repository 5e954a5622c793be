// "Always allow" as a person uses it: the chat in a pty, the scripted model calls a tool, `a` is pressed.
// The user config keeps its comments and deny rule; on a full disk it is left as it was and the chat says why.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel } from '../fixtures/openai/scripted-server.mjs';
import { isolatedEnv, projectWithConfig } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { spawnCliInPty, KEYS } from '../helpers/pty.js';
import { CAN_MOUNT_TMPFS, fillDisk, mountTmpfs } from '../helpers/tmpfs.js';
import { scaled } from '../helpers/time.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const USER_CONFIG = `{
  // my own rules
  "permissions": {
    /* never */
    "deny": ["basic__slow"]
  }
}
`;

async function answerAlways(configDir: string): Promise<string> {
  const model = await startScriptedModel([{ toolCalls: [{ name: 'basic__echo', arguments: { message: 'hi' } }] }, { text: 'done' }], {
    name: 'always allow',
  });
  cleanups.push(() => model.close());
  const cwd = projectWithConfig({ mcpServers: { basic: { command: process.execPath, args: [fixturePath('basic.mjs')] } } });
  const env = {
    ...process.env,
    ...isolatedEnv(cwd),
    MCPSH_CONFIG_DIR: configDir,
    OPENAI_BASE_URL: model.baseURL,
    OPENAI_API_KEY: 'sk-test',
    MCPSH_MODEL: 'scripted-model',
  };
  const pty = spawnCliInPty(['--config', join(cwd, 'mcp.config.json')], { cwd, env });
  cleanups.push(() => pty.kill());
  await pty.waitForText(/servers 1\/1/);
  await pty.type('echo hi', KEYS.enter);
  await pty.waitForText('Allow this tool call?');
  await pty.type('', 'a');
  await pty.waitForText('done');
  const text = pty.text();
  pty.write(KEYS.ctrlD);
  await pty.exited;
  return text;
}

describe('always allow in the chat', () => {
  it(
    'adds the rule and keeps the comments and the deny rule',
    async () => {
      const configDir = join(projectWithConfig({ mcpServers: {} }), 'user-config');
      mkdirSync(configDir);
      writeFileSync(join(configDir, 'config.json'), USER_CONFIG);
      const screen = await answerAlways(configDir);
      expect(screen).toContain('basic__echo is now always allowed');
      const text = readFileSync(join(configDir, 'config.json'), 'utf8');
      expect(text).toContain('// my own rules');
      expect(text).toContain('/* never */');
      const config = parse(text) as { permissions: { deny: string[]; allow: string[] } };
      expect(config.permissions).toEqual({ deny: ['basic__slow'], allow: ['basic__echo'] });
    },
    scaled(60_000),
  );

  it.skipIf(!CAN_MOUNT_TMPFS)(
    'on a full disk leaves the config intact and says so',
    async () => {
      const fs = mountTmpfs(64);
      cleanups.push(() => fs.unmount());
      // Big enough that its rewrite needs blocks the full disk does not have.
      const original = USER_CONFIG.replace('// my own rules', `// my own rules\n  ${'// padding padding padding padding\n  '.repeat(300)}`);
      writeFileSync(join(fs.dir, 'config.json'), original);
      fillDisk(fs.dir);
      const screen = await answerAlways(fs.dir);
      expect(screen.replace(/\s+/g, ' ')).toMatch(
        /could not save the rule for basic__echo: .*config\.json was not changed: the disk is full \(ENOSPC\)/,
      );
      expect(readFileSync(join(fs.dir, 'config.json'), 'utf8')).toBe(original);
    },
    scaled(60_000),
  );
});
