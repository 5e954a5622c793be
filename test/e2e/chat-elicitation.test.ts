// A server's form in the built `mcpsh` chat, in a pseudo-terminal at 40 columns with NO_COLOR: a direct
// /call of a tool that elicits, the form filled in with keys, the tool's result and the transcript line.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isolatedEnv, projectWithConfig } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { KEYS, spawnCliInPty, type PtySession } from '../helpers/pty.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** An SGR sequence that sets a colour (foreground or background, 16, 256 or true colour). */
const COLOR_CODE = new RegExp(`${String.fromCharCode(27)}\\[(?:\\d+;)*(?:3[0-8]|9[0-7]|4[0-8]|10[0-7])[;m]`);
const BACKSPACE = '\u007f';
const CTRL_S = '\u0013';

function openChat(cols: number): PtySession {
  const cwd = projectWithConfig({ mcpServers: { elicit: { command: process.execPath, args: [fixturePath('elicit.mjs')] } } });
  const env = {
    ...process.env,
    OPENAI_API_KEY: undefined,
    OPENAI_BASE_URL: undefined,
    MCPSH_MODEL: undefined,
    NO_COLOR: '1',
    ...isolatedEnv(cwd),
  };
  const pty = spawnCliInPty(['--config', join(cwd, 'mcp.config.json')], { cwd, env, cols, rows: 40 });
  cleanups.push(() => pty.kill());
  return pty;
}

/** The whole buffer with Ink's line wrapping undone (each row trimmed, rows joined). */
const unwrapped = (pty: PtySession): string =>
  pty
    .lines()
    .map((l) => l.trim())
    .join('');

describe('elicitation in the chat', () => {
  it('/call of a tool that asks for a form: the form is filled in with keys and the server gets the answer', async () => {
    const pty = openChat(40);
    await pty.waitForText('1/1 srv');
    await pty.type('/call elicit form', KEYS.enter);
    await pty.waitForText('elicit asks for input', { in: 'screen' });
    const form = pty.screen();
    expect(form).toContain('Trip details?');
    expect(form).toMatch(/❯ City \*: Lisbon/);
    expect(form).toMatch(/nights \*: 2/);
    for (const line of pty.lines()) expect([...line].length).toBeLessThanOrEqual(40);

    // Accepting with the required number emptied shows the problem and does not send.
    await pty.type('', KEYS.tab, BACKSPACE, CTRL_S);
    await pty.waitForText('✗ required', { in: 'screen' });
    await pty.type('', '4', KEYS.tab);
    await pty.type('seaview', CTRL_S);
    await pty.waitForText(/✓ elicit › form · \d/);
    await pty.waitForText('└ accepted: city="Lisbon", nights=4,');
    // The one-line preview is cut at 40 columns: /expand shows the whole result the server returned.
    await pty.type('/expand 1', KEYS.enter);
    await pty.waitForText('#1 elicit › form (ok)');
    expect(unwrapped(pty)).toContain('{"action":"accept","content":{"city":"Lisbon","nights":4,"note":"seaview"}}');
    expect(pty.raw()).not.toMatch(COLOR_CODE);

    // Esc declines the next one; the prompt is usable again afterwards.
    await pty.type('/call elicit form', KEYS.enter);
    await pty.waitForText('elicit asks for input', { in: 'screen' });
    await pty.type('', BACKSPACE, KEYS.esc);
    await pty.waitForText('└ declined');
    await pty.waitForText('└ {"action":"decline"}');
  });
});
