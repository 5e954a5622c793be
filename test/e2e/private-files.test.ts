// The chat's private files: prompt history is 0600 in a 0700 directory, and the API key mcpsh itself uses
// (from the environment or the config) is masked in the history and the saved transcript when typed into the chat.
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel } from '../fixtures/openai/scripted-server.mjs';
import { isolatedEnv, projectWithConfig } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { KEYS, spawnCliInPty } from '../helpers/pty.js';
import { scaled } from '../helpers/time.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const ENV_KEY = 'sk-envKEY-7f3b9c1d2e4a5b6c8d0e';
const CONFIG_KEY = 'sk-cfgKEY-0a1b2c3d4e5f6a7b8c9d';

describe('the chat keeps its files private', () => {
  it(
    'masks the keys it uses in history and transcript; history is 0600 in a 0700 dir',
    async () => {
      const model = await startScriptedModel([{ text: 'noted' }, { text: 'noted again' }], { name: 'private files' });
      cleanups.push(() => model.close());
      // The config's own endpoint and key (so the config key is the one in use); the environment's key is set too.
      const cwd = projectWithConfig({
        model: { baseURL: model.baseURL, apiKey: CONFIG_KEY, name: 'scripted-model' },
        mcpServers: { basic: { command: process.execPath, args: [fixturePath('basic.mjs')] } },
      });
      const dirs = isolatedEnv(cwd);
      const state = dirs.MCPSH_STATE_DIR ?? '';
      // A history from an older mcpsh, readable by everyone, in a readable directory: both are tightened.
      chmodSync(state, 0o755);
      writeFileSync(join(state, 'history.jsonl'), '"older prompt"\n', { mode: 0o644 });
      chmodSync(join(state, 'history.jsonl'), 0o644);

      const base = { ...process.env, OPENAI_BASE_URL: undefined, MCPSH_MODEL: undefined };
      const pty = spawnCliInPty(['--config', join(cwd, 'mcp.config.json')], { cwd, env: { ...base, ...dirs, OPENAI_API_KEY: ENV_KEY } });
      cleanups.push(() => pty.kill());
      await pty.waitForText(/scripted-model/);
      await pty.type(`my key is ${ENV_KEY} ok`, KEYS.enter);
      await pty.waitForText('noted');
      await pty.type(`and the other is ${CONFIG_KEY}`, KEYS.enter);
      await pty.waitForText('noted again');
      pty.write(KEYS.ctrlD);
      expect((await pty.exited).exitCode).toBe(0);

      const history = readFileSync(join(state, 'history.jsonl'), 'utf8');
      expect(history).toBe('"older prompt"\n"my key is *** ok"\n"and the other is ***"\n');
      expect(statSync(join(state, 'history.jsonl')).mode & 0o777).toBe(0o600);
      expect(statSync(state).mode & 0o777).toBe(0o700);

      const sessions = join(state, 'sessions');
      const files = readdirSync(sessions);
      expect(files).toHaveLength(1);
      const transcript = readFileSync(join(sessions, files[0] ?? ''), 'utf8');
      expect(transcript).toContain('my key is *** ok');
      expect(transcript).toContain('and the other is ***');
      expect(transcript).not.toContain(ENV_KEY);
      expect(transcript).not.toContain(CONFIG_KEY);
      expect(statSync(sessions).mode & 0o777).toBe(0o700);
      expect(statSync(join(sessions, files[0] ?? '')).mode & 0o777).toBe(0o600);
    },
    scaled(60_000),
  );

  it('does not narrow a shared directory it was pointed at', () => {
    // ensurePrivateDir must leave a sticky, world-writable directory (like /tmp) as it is.
    const cwd = projectWithConfig({ mcpServers: {} });
    const shared = join(cwd, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    return import('../../src/files/private-dir.js').then(({ ensurePrivateDir }) => {
      ensurePrivateDir(shared);
      expect(statSync(shared).mode & 0o7777).toBe(0o1777);
    });
  });
});
