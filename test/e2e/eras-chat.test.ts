// The built chat in a pseudo-terminal against a server that speaks only MCP 2026-07-28 (issue 13): the
// server connects, `/tools` lists its tools, `/call` shows a result, and a form the tool asks for through an
// input_required round is shown and answered like any other.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isolatedEnv, projectWithConfig } from '../helpers/cli.js';
import { startEraServer, type FixtureRecord, type Transport } from '../helpers/eras.js';
import { KEYS, spawnCliInPty, type PtySession } from '../helpers/pty.js';

const CTRL_S = '\u0013';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function openChat(file: string, transport: Transport): Promise<{ pty: PtySession; log: () => FixtureRecord[] }> {
  const server = await startEraServer(file, transport);
  cleanups.push(() => server.close());
  const cwd = projectWithConfig({ mcpServers: { modern: server.entry } });
  const env = {
    ...process.env,
    OPENAI_API_KEY: undefined,
    OPENAI_BASE_URL: undefined,
    MCPSH_MODEL: undefined,
    NO_COLOR: '1',
    ...isolatedEnv(cwd),
  };
  const pty = spawnCliInPty(['--config', join(cwd, 'mcp.config.json')], { cwd, env, cols: 100, rows: 40 });
  cleanups.push(() => pty.kill());
  return { pty, log: () => server.log() };
}

describe.each([
  { file: 'modern-only.mjs', transport: 'stdio' as const },
  { file: 'dual-era.mjs', transport: 'http' as const },
])('the chat against $file over $transport', ({ file, transport }) => {
  it('/tools lists the tools; /call shows the result; an input_required form is answered', async () => {
    const { pty, log } = await openChat(file, transport);
    await pty.waitForText(/servers 1\/1/, { timeoutMs: 15_000 });

    await pty.type('/tools', KEYS.enter);
    await pty.waitForText('modern__echo');
    expect(pty.text()).toContain('modern__add');
    expect(pty.text()).toContain('modern__confirm');

    await pty.type('/call modern echo {"message":"hi from the chat"}', KEYS.enter);
    await pty.waitForText(/✓ modern › echo/);
    await pty.waitForText('└ hi from the chat');

    await pty.type('/call modern confirm', KEYS.enter);
    await pty.waitForText('modern asks for input', { in: 'screen' });
    expect(pty.screen()).toContain('Proceed with the fixture action?');
    await pty.type('', CTRL_S);
    await pty.waitForText(/└ accepted: confirm=true/);
    await pty.waitForText('└ {"action":"accept","content":{"confirm":true,"note":"fine"}}');
    // The server asked in the modern era: an input_required round, and every call carried 2026-07-28.
    expect(log().filter((l) => l.ev === 'elicit')).toEqual([expect.objectContaining({ era: 'modern', action: 'accept' })]);
    for (const call of log().filter((l) => l.ev === 'message' && l.method === 'tools/call'))
      expect(call.protocolVersion).toBe('2026-07-28');

    pty.write(KEYS.ctrlD);
    expect((await pty.exited).exitCode).toBe(0);
  });
});
