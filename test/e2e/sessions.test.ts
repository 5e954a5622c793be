// Sessions you can see: the chat says its id on exit, `mcpsh sessions` lists saved chats (text and JSON),
// `mcpsh --resume` prints the earlier conversation before the prompt, and `/resume` picks another chat and
// continues it in place. The built CLI in a pseudo-terminal, the scripted model, the basic fixture server.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { isolatedEnv, projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/processes.js';
import { KEYS, spawnCliInPty, type PtySession } from '../helpers/pty.js';
import { scaled } from '../helpers/time.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const CONFIG = {
  mcpServers: { basic: { command: process.execPath, args: [fixturePath('basic.mjs')] } },
  permissions: { allow: ['basic__echo'] },
};

interface Project {
  cwd: string;
  env: Record<string, string | undefined>;
}

async function project(script: Step[]): Promise<Project & { model: ScriptedModel }> {
  const model = await startScriptedModel(script, { name: 'sessions e2e' });
  cleanups.push(() => model.close());
  const cwd = projectWithConfig(CONFIG);
  const base = { ...process.env, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, MCPSH_MODEL: undefined, NO_COLOR: undefined };
  return {
    cwd,
    model,
    env: { ...base, ...isolatedEnv(cwd), OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'sk-test', MCPSH_MODEL: 'scripted-model' },
  };
}

function chat(p: Project, extra: string[] = []): PtySession {
  const pty = spawnCliInPty(['--config', join(p.cwd, 'mcp.config.json'), ...extra], { cwd: p.cwd, env: p.env, cols: 100, rows: 40 });
  cleanups.push(() => pty.kill());
  return pty;
}

/** Leaves the chat with Ctrl+D and returns the id its last line names. */
async function exitChat(pty: PtySession): Promise<string> {
  pty.write(KEYS.ctrlD);
  expect((await pty.exited).exitCode).toBe(0);
  const said = /session (\S+) saved; resume with `mcpsh --resume (\S+)`/.exec(pty.text());
  expect(said, pty.text()).not.toBeNull();
  expect(said?.[2]).toBe(said?.[1]);
  return said?.[1] ?? '';
}

/** One message and its answer, then the prompt is idle again. */
async function say(pty: PtySession, text: string, answer: string): Promise<void> {
  await pty.type(text, KEYS.enter);
  await pty.waitForText(answer);
  await pty.waitForText('ask anything', { in: 'screen' });
}

describe('saved chats', () => {
  it('prints the id on exit, lists the chat with `sessions`, and `--resume` shows the earlier turns before the prompt', async () => {
    const p = await project([
      { text: 'Let me echo that.', toolCalls: [{ name: 'basic__echo', arguments: { message: 'ping' } }] },
      { text: 'The server said **ping**.' },
      { text: 'Yes, ping.' },
    ]);
    const first = chat(p);
    await first.waitForText(/servers 1\/1/);
    await say(first, 'please echo ping', 'The server said ping.');
    const id = await exitChat(first);

    const sessionsDir = join(p.cwd, '.mcpsh-home', 'state', 'sessions');
    const file = join(sessionsDir, `${id}.jsonl`);
    const json = await runCli(['sessions', '--json'], { cwd: p.cwd });
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const listed = JSON.parse(json.stdout) as { dir: string; total: number; sessions: Array<Record<string, unknown>> };
    expect(listed.dir).toBe(sessionsDir);
    expect(listed.total).toBe(1);
    expect(listed.sessions).toEqual([
      {
        id,
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        updatedAt: statSync(file).mtime.toISOString(),
        cwd: p.cwd,
        agent: null,
        model: 'scripted-model',
        firstPrompt: 'please echo ping',
        // the question, the answer that called echo, echo's result, the final answer
        messages: 4,
        userMessages: 1,
        bytes: statSync(file).size,
      },
    ]);

    const text = await runCli(['sessions'], { cwd: p.cwd });
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^id\s+last active\s+turns\s+messages\s+size\s+first prompt$/);
    expect(lines[1]).toMatch(new RegExp(`^${id}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+1\\s+4\\s+[\\d.]+ (B|KB)\\s+please echo ping$`));
    expect(text.stdout).toContain('continue one with: mcpsh --resume <id>');

    const again = chat(p, ['--resume', id]);
    await again.waitForText(/continuing saved chat \S+ \(1 message from you so far\)/);
    await again.waitForText('ask anything', { in: 'screen' });
    const shown = again.text();
    // The earlier turn, as the chat shows any turn, in order, before the notice and the prompt.
    const order = [
      '› please echo ping',
      'Let me echo that.',
      '✓ basic › echo  message: "ping"',
      '└ ping',
      'The server said ping.',
      `continuing saved chat ${id}`,
      'ask anything',
    ];
    const at = order.map((s) => shown.indexOf(s));
    expect(
      at.every((i) => i >= 0),
      shown,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(shown).not.toContain('**');
    await say(again, 'still there?', 'Yes, ping.');
    expect(await exitChat(again)).toBe(id);
    expect(readdirSync(sessionsDir)).toEqual([`${id}.jsonl`]);
  });

  it('`sessions` with nothing saved says so; --limit bounds the list', async () => {
    const cwd = projectWithConfig(CONFIG);
    const r = await runCli(['sessions'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^no saved chats yet \(in .*sessions\); chats are saved as you talk: start one with `mcpsh`\n$/);
    const j = await runCli(['sessions', '--json', '--limit', '1'], { cwd });
    expect(JSON.parse(j.stdout)).toMatchObject({ total: 0, sessions: [] });
  });

  it(
    '/resume opens a picker of saved chats; Enter continues the chosen one in place, Esc closes it',
    async () => {
      const p = await project([{ text: 'Apples noted.' }, { text: 'Pears noted.' }, { text: 'We were talking about apples.' }]);
      const a = chat(p);
      await a.waitForText(/servers 1\/1/);
      await say(a, 'first chat about apples', 'Apples noted.');
      const appleId = await exitChat(a);

      const b = chat(p);
      await b.waitForText(/servers 1\/1/);
      await say(b, 'second chat about pears', 'Pears noted.');
      await b.type('/resume', KEYS.enter);
      await b.waitForText('Resume a saved chat', { in: 'screen' });
      let screen = b.screen();
      expect(screen).toMatch(/ {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}1 turn {4}second chat about pears {2}\(this chat\)/);
      // The newest chat other than this one is highlighted first.
      expect(screen).toMatch(/❯ \d{4}-\d\d-\d\d \d\d:\d\d {2}1 turn {4}first chat about apples/);
      expect(screen).toContain(`id ${appleId}`);
      b.write(KEYS.esc);
      await waitFor(() => !b.screen().includes('Resume a saved chat'), { timeoutMs: 8000, what: 'the picker to close on Esc' });

      await b.type('/resume', KEYS.enter);
      await b.waitForText('Resume a saved chat', { in: 'screen' });
      // ↑ onto this chat and back down: the arrows move the highlight.
      b.write(KEYS.up);
      await b.waitForText(/❯ .*second chat about pears/, { in: 'screen' });
      b.write(KEYS.down);
      await b.waitForText(/❯ .*first chat about apples/, { in: 'screen' });
      b.write(KEYS.enter);
      await b.waitForText(`continuing saved chat ${appleId}`);
      await b.waitForText('ask anything', { in: 'screen' });
      screen = b.text();
      // The screen was cleared and shows the chosen chat, not the one left.
      expect(screen).toContain('› first chat about apples');
      expect(screen).toContain('Apples noted.');
      expect(screen).not.toContain('pears');
      expect(screen.match(/mcpsh chat/g)).toHaveLength(1);

      await say(b, 'what were we talking about?', 'We were talking about apples.');
      const sent = p.model.chatRequests()[2]?.body.messages.map((m) => `${m.role}:${String(m.content)}`) ?? [];
      expect(sent.slice(1)).toEqual(['user:first chat about apples', 'assistant:Apples noted.', 'user:what were we talking about?']);
      expect(await exitChat(b)).toBe(appleId);
      const appleFile = readFileSync(join(p.cwd, '.mcpsh-home', 'state', 'sessions', `${appleId}.jsonl`), 'utf8');
      expect(appleFile).toContain('what were we talking about?');
      expect(appleFile).not.toContain('pears');
    },
    scaled(40_000),
  );
});
