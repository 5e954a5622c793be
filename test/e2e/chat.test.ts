// The built `mcpsh` chat in a pseudo-terminal, read back through a headless xterm: the scripted model
// (in this process) and the basic fixture MCP server (spawned by mcpsh over stdio), as a person uses it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { isolatedEnv, projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/processes.js';
import { KEYS, spawnCliInPty, type PtySession } from '../helpers/pty.js';
import { scaled, withDuration } from '../helpers/time.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const CONFIG = {
  mcpServers: { basic: { command: process.execPath, args: [fixturePath('basic.mjs')] } },
  // slow runs without a prompt; echo has no rule, so the chat asks.
  permissions: { allow: ['basic__slow'] },
};

/** An SGR sequence that sets a colour (foreground or background, 16, 256 or true colour). */
const COLOR_CODE = new RegExp(`${String.fromCharCode(27)}\\[(?:\\d+;)*(?:3[0-8]|9[0-7]|4[0-8]|10[0-7])[;m]`);

interface Chat {
  pty: PtySession;
  cwd: string;
  stateDir: string;
}

function openChat(env: Record<string, string | undefined>, options: { cols?: number } = {}): Chat {
  const cwd = projectWithConfig(CONFIG);
  const dirs = isolatedEnv(cwd);
  const base: Record<string, string | undefined> = {
    ...process.env,
    OPENAI_API_KEY: undefined,
    OPENAI_BASE_URL: undefined,
    MCPSH_MODEL: undefined,
    NO_COLOR: undefined,
  };
  // --config names the file, so it is used as is (no trust prompt for a temp project).
  const pty = spawnCliInPty(['--config', join(cwd, 'mcp.config.json')], {
    cwd,
    env: { ...base, ...dirs, ...env },
    cols: options.cols ?? 100,
    rows: 40,
  });
  cleanups.push(() => pty.kill());
  return { pty, cwd, stateDir: dirs.MCPSH_STATE_DIR ?? '' };
}

async function scriptedModel(script: Step[]): Promise<ScriptedModel> {
  const model = await startScriptedModel(script, { name: 'chat e2e' });
  cleanups.push(() => model.close());
  return model;
}

describe('mcpsh chat in a terminal', () => {
  it('streams an answer, shows the tool call, asks for approval, cancels with Ctrl+C and exits with Ctrl+D', async () => {
    const model = await scriptedModel([
      {
        text: ['Let me ', 'echo that.'],
        toolCalls: [{ name: 'basic__echo', arguments: { message: 'ping' } }],
        chunkDelayMs: 20,
        usage: { prompt_tokens: 1000, completion_tokens: 10 },
      },
      { text: ['The server ', 'said **ping**.'], usage: { prompt_tokens: 1200, completion_tokens: 34 } },
      { hang: true, text: 'Thinking very slowly' },
      { toolCalls: [{ name: 'basic__slow', arguments: { ms: 20_000, steps: 40 } }] },
    ]);
    const { pty, stateDir } = openChat({ OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'sk-test', MCPSH_MODEL: 'scripted-model' });
    await pty.waitForText('mcpsh chat');
    await pty.waitForText(/scripted-model\s+·\s+servers 1\/1/);

    await pty.type('please echo ping', KEYS.enter);
    await pty.waitForText('Allow this tool call?');
    const dialog = pty.screen();
    expect(dialog).toContain('basic › echo  (basic__echo)');
    expect(dialog).toContain('"message": "ping"');
    expect(dialog).toContain('no hints from the server');
    // No hints: the highlight starts on Deny, so a stray Enter would not run it.
    expect(dialog).toContain('❯ 5. Deny (n)');
    await pty.type('', 'y');
    await pty.waitForText('The server said ping.');
    const answered = pty.text();
    expect(answered).toContain('› please echo ping');
    expect(answered).toContain('Let me echo that.');
    expect(answered).toMatch(withDuration(String.raw`✓ basic › echo {2}message: "ping" · <duration>`));
    expect(answered).toMatch(/└ ping/);
    expect(answered).not.toContain('**');
    await pty.waitForText(/tokens 2\.2k in · 44 out/);
    // Colour is on by default (the NO_COLOR test below checks it can be turned off).
    expect(pty.raw()).toMatch(COLOR_CODE);

    // A hanging model stream: Ctrl+C stops it and the prompt comes back.
    await pty.type('think hard', KEYS.enter);
    await pty.waitForText('Thinking very slowly');
    await pty.waitForText('Ctrl+C cancels', { in: 'screen' });
    pty.write(KEYS.ctrlC);
    await pty.waitForText('• cancelled');

    // A running tool: Ctrl+C cancels it on the server too (notifications/cancelled).
    await pty.type('run the slow tool', KEYS.enter);
    await pty.waitForText(/basic › slow {2}ms: 20000, steps: 40 · \d/, { in: 'screen' });
    await pty.waitForText(/█+░* \d+\/40 step \d+ of 40/, { in: 'screen' });
    pty.write(KEYS.ctrlC);
    await pty.waitForText(/✗ basic › slow .*· \d/);
    const log = join(stateDir, 'logs', 'basic.log');
    await waitFor(() => existsSync(log) && /slow: cancelled after \d+ms/.test(readFileSync(log, 'utf8')), {
      timeoutMs: 5000,
      what: 'the server saw the cancellation',
    });

    pty.write(KEYS.ctrlD);
    expect((await pty.exited).exitCode).toBe(0);
    const history = readFileSync(join(stateDir, 'history.jsonl'), 'utf8');
    expect(history).toBe('"please echo ping"\n"think hard"\n"run the slow tool"\n');
    expect(model.chatRequests()).toHaveLength(4);
  });

  it('without a model it opens in tools-only mode: a banner says how to configure one, /call works (40 columns, NO_COLOR)', async () => {
    const { pty } = openChat({ NO_COLOR: '1' }, { cols: 40 });
    await pty.waitForText('No model configured: tools-only mode');
    const banner = pty.text();
    expect(banner).toContain('no API key for the model');
    expect(banner).toMatch(/OPENAI_API_KEY/);
    expect(banner).toContain('docs/models.md');
    for (const line of pty.lines()) expect([...line].length).toBeLessThanOrEqual(40);

    await pty.waitForText('1/1 srv');
    await pty.type('/call basic echo {"message": "pong"}', KEYS.enter);
    await pty.waitForText(withDuration('✓ basic › echo · <duration>'));
    await pty.waitForText('└ pong');
    // NO_COLOR: styles such as bold and inverse, but no colour (30-37, 90-97, 38;…, and backgrounds).
    expect(pty.raw()).not.toMatch(COLOR_CODE);
    expect(pty.raw()).toContain('\u001b[1m');

    // Ctrl+C twice on an empty prompt leaves.
    pty.write(KEYS.ctrlC);
    await pty.waitForText('press Ctrl+C again to exit');
    pty.write(KEYS.ctrlC);
    expect((await pty.exited).exitCode).toBe(0);
  });

  it('`mcpsh` with stdout not a terminal exits 2 and points to `mcpsh ask`', async () => {
    const cwd = projectWithConfig(CONFIG);
    const r = await runCli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'mcpsh: the chat needs a terminal, but stdout is not one\n' +
        '  hint: for scripts and pipes use `mcpsh ask "…"` (answer on stdout, exit codes in docs/scripting.md); `mcpsh --help` lists every command\n',
    );
  });

  it('saves the conversation as it happens, and --resume continues it', async () => {
    const model = await scriptedModel([{ text: 'Noted: 42.' }, { text: 'You said 42.' }]);
    const env = { OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'sk-test', MCPSH_MODEL: 'scripted-model' };
    const first = openChat(env);
    await first.pty.waitForText('mcpsh chat');
    await first.pty.type('remember the number 42', KEYS.enter);
    await first.pty.waitForText('Noted: 42.');
    first.pty.write(KEYS.ctrlD);
    expect((await first.pty.exited).exitCode).toBe(0);
    const sessions = join(first.stateDir, 'sessions');
    const saved = readdirSync(sessions);
    expect(saved).toHaveLength(1);
    expect(readFileSync(join(sessions, saved[0] ?? ''), 'utf8')).toContain('remember the number 42');

    const base = { ...process.env, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, MCPSH_MODEL: undefined };
    const again = spawnCliInPty(['--config', join(first.cwd, 'mcp.config.json'), '--resume'], {
      cwd: first.cwd,
      env: { ...base, ...isolatedEnv(first.cwd), ...env },
      cols: 100,
      rows: 40,
    });
    cleanups.push(() => again.kill());
    await again.waitForText(/continuing saved chat \S+ \(1 message from you so far\)/);
    await again.type('what number?', KEYS.enter);
    await again.waitForText('You said 42.');
    again.write(KEYS.ctrlD);
    expect((await again.exited).exitCode).toBe(0);
    const sent = model.chatRequests()[1]?.body.messages.map((m) => `${m.role}:${String(m.content)}`) ?? [];
    expect(sent.slice(1)).toEqual(['user:remember the number 42', 'assistant:Noted: 42.', 'user:what number?']);
    // Still one file: the resumed chat appends to it.
    expect(readdirSync(sessions)).toHaveLength(1);
  });

  it(
    'an untrusted project config is shown and asked about before anything runs',
    async () => {
      const cwd = projectWithConfig(CONFIG);
      const base = { ...process.env, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, MCPSH_MODEL: undefined };
      const pty = spawnCliInPty([], { cwd, env: { ...base, ...isolatedEnv(cwd), MCPSH_TRUST: undefined }, cols: 100, rows: 40 });
      cleanups.push(() => pty.kill());
      await pty.waitForText('Trust this config and let mcpsh run it? [y/N]');
      expect(pty.text()).toContain(fixturePath('basic.mjs'));
      await pty.type('y', KEYS.enter);
      await pty.waitForText('No model configured: tools-only mode');
      // Keys go to the prompt once the chat is up (its status bar shows the server ready).
      await pty.waitForText(/servers 1\/1|1\/1 srv/, { timeoutMs: 15_000 });
      pty.write(KEYS.ctrlD);
      expect((await pty.exited).exitCode).toBe(0);
      // Trusted now: the next run starts without asking.
      const r = await runCli(['tools'], { cwd, env: { MCPSH_TRUST: undefined } });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('basic__echo');
    },
    scaled(40_000),
  );
});
