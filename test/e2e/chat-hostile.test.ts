// The chat in a pseudo-terminal against the hostile-escapes fixture server and a model that answers with
// escapes: /tools, /call, a model's tool call (with its approval dialog), /stats. Everything mcpsh wrote is
// replayed into a headless xterm that watches the window title and OSC 52 (the clipboard): neither may
// ever be touched, and the hostile text must be on screen, visibly.
import xterm from '@xterm/headless';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel } from '../fixtures/openai/scripted-server.mjs';
import { evil } from '../fixtures/servers/hostile-payload.mjs';
import { isolatedEnv, projectWithConfig } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { KEYS, spawnCliInPty } from '../helpers/pty.js';
import { scaled } from '../helpers/time.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** What the terminal did with everything mcpsh wrote. */
async function replay(raw: string): Promise<{ titles: string[]; osc: number[]; screen: string }> {
  const term = new xterm.Terminal({ cols: 100, rows: 40, scrollback: 5000, allowProposedApi: true });
  const titles: string[] = [];
  const osc: number[] = [];
  term.onTitleChange((title) => titles.push(title));
  // Titles (OSC 0/2) are seen by onTitleChange; OSC 52 (clipboard), 8 (hyperlinks), the colour-changing
  // ones and the shell-integration ones by their handlers: none may reach the terminal.
  for (const id of [4, 7, 8, 10, 11, 12, 52, 104, 112, 133, 1337]) {
    term.parser.registerOscHandler(id, () => {
      osc.push(id);
      return true;
    });
  }
  await new Promise<void>((resolve) => term.write(raw, resolve));
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
  term.dispose();
  return { titles, osc, screen: lines.join('\n') };
}

describe('the chat with a hostile server and model', () => {
  it('(the replay itself notices a title change and a clipboard write)', async () => {
    const seen = await replay('a\u001b]0;x\u0007b\u001b]52;c;aGk=\u001b\\c\u009d2;y\u0007');
    expect(seen.titles).toEqual(['x', 'y']);
    expect(seen.osc).toEqual([52]);
  });

  it(
    '/tools, /call, a model tool call and /stats show the escapes as text; title and clipboard stay untouched',
    async () => {
      const model = await startScriptedModel(
        [
          {
            text: ['Calling ', '\u001b]0;MODEL-', 'TITLE\u0007 now'],
            toolCalls: [{ name: 'hostile__everything', arguments: { note: evil('model argument') } }],
          },
          { text: ['Answer: ', '\u001b', ']52;c;cHduZWQ=\u0007', ' then \u009b', '2J ', evil('model answer'), ' \u001b'] },
        ],
        { name: 'chat hostile e2e' },
      );
      cleanups.push(() => model.close());
      const hostile = fixturePath('hostile-escapes.mjs');
      const cwd = projectWithConfig({ mcpServers: { hostile: { command: process.execPath, args: [hostile] } } });
      const env = {
        ...process.env,
        ...isolatedEnv(cwd),
        NO_COLOR: undefined,
        OPENAI_BASE_URL: model.baseURL,
        OPENAI_API_KEY: 'sk-test',
        MCPSH_MODEL: 'scripted-model',
      };
      const pty = spawnCliInPty(['--config', join(cwd, 'mcp.config.json')], { cwd, env, cols: 100, rows: 40 });
      cleanups.push(() => pty.kill());
      await pty.waitForText(/servers 1\/1/);

      await pty.type('/tools', KEYS.enter);
      await pty.waitForText('description<␛[2J␛[H␛]0;PWNED-TI');

      await pty.type('/call hostile everything', KEYS.enter);
      await pty.waitForText(/✓ hostile › everything/);
      await pty.waitForText('result text<␛[2J␛[H␛]0;PWNED-TITLE␇');
      await pty.waitForText('[image: image/png<␛[2J');

      await pty.type('/call hostile throws', KEYS.enter);
      await pty.waitForText('thrown error<␛[2J');

      await pty.type('go', KEYS.enter);
      await pty.waitForText('Allow this tool call?');
      // The dialog quotes the server's annotation title and the model's arguments: visible, inert.
      expect(pty.screen()).toContain('␛[2J');
      await pty.type('', 'y');
      await pty.waitForText('Answer: ␛]52;c;cHduZWQ=␇ then ␛[2J model answer<␛[2J');
      expect(pty.text()).toContain('Calling ␛]0;MODEL-TITLE␇ now');

      await pty.type('/stats', KEYS.enter);
      await pty.waitForText('last error of hostile: ');
      expect(pty.text()).toMatch(/last error of hostile: .*thrown error<␛\[2J/);

      pty.write(KEYS.ctrlD);
      expect((await pty.exited).exitCode).toBe(0);

      const raw = pty.raw();
      // Only mcpsh's own sequences: CSI (styles, cursor, erase) and nothing that opens a string sequence.
      // eslint-disable-next-line no-control-regex
      expect(raw).not.toMatch(/\u001b[\]P_^X]/);
      // eslint-disable-next-line no-control-regex
      expect(raw).not.toMatch(/[\u0000\u0007\u0008\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      const seen = await replay(raw);
      expect(seen.titles).toEqual([]);
      expect(seen.osc).toEqual([]);
      expect(seen.screen).toContain('result text<␛[2J␛[H␛]0;PWNED-TITLE␇');
    },
    scaled(90_000),
  );
});
