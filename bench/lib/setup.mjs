// What every measured run shares: a temp home for mcpsh (config, state, data, cache dirs), the configs
// (one stdio fixture server; one and twenty waiting servers), and the scripted OpenAI-compatible model in this process.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedModel } from '../../test/fixtures/openai/scripted-server.mjs';
import { ROOT } from './measure.mjs';

export const MODEL = 'scripted-model';
const SERVER = join(ROOT, 'test/fixtures/servers/basic.mjs');
// For the 20-server path: a server that waits 1 s before answering and costs next to no CPU (like an `npx`
// server fetching its package), so the path measures whether mcpsh starts servers side by side, not how
// many cores the machine has to start twenty Node.js processes at once.
const WAITING_SERVER = join(ROOT, 'bench/fixtures/waiting-server.sh');

/** The prompt that asks the scripted model for `n` echo calls, one per turn, then the answer `answerFor(n)`. */
export const promptFor = (n) => `bench: call echo ${n} times`;
export const answerFor = (n) => `done after ${n} echo calls`;

/**
 * The script: one echo call per turn until the request holds n tool results, then the answer. Stateless
 * (read from the request), so any number of runs, mcpsh's and the floor's, can share one server.
 */
function script(request) {
  const messages = request.body.messages ?? [];
  const user = messages
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');
  const wanted = Number(/call echo (\d+) times/.exec(user)?.[1] ?? 0);
  const done = messages.filter((m) => m.role === 'tool').length;
  if (done >= wanted) return { text: answerFor(wanted), usage: { prompt_tokens: 50, completion_tokens: 5 } };
  const echo = (request.body.tools ?? []).map((t) => t.function.name).find((name) => name.endsWith('echo'));
  if (echo === undefined) return { error: { status: 400, message: 'bench: the request offers no echo tool' } };
  return { toolCalls: [{ name: echo, arguments: { message: `ping ${done + 1}` } }], usage: { prompt_tokens: 50, completion_tokens: 5 } };
}

function stdioConfig(count) {
  const mcpServers = {};
  if (count === 1) mcpServers.basic = { command: process.execPath, args: [SERVER] };
  else for (let i = 1; i <= count; i++) mcpServers[`basic${i}`] = { command: process.execPath, args: [SERVER, '--name', `basic${i}`] };
  return { mcpServers };
}

function waitingConfig(count) {
  const mcpServers = {};
  for (let i = 1; i <= count; i++) mcpServers[`wait${i}`] = { command: '/bin/sh', args: [WAITING_SERVER, '1'] };
  return { mcpServers };
}

/** Environment variables that would change what mcpsh does (a real model, a real config, CI rendering). */
function cleanEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('MCPSH_') || key.startsWith('OPENAI_') || key.startsWith('XDG_') || key === 'NODE_OPTIONS')
      continue;
    env[key] = value;
  }
  return env;
}

export async function setUp() {
  const home = mkdtempSync(join(tmpdir(), 'mcpsh-bench-'));
  const dirs = Object.fromEntries(['config', 'state', 'data', 'cache'].map((d) => [d, join(home, d)]));
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const one = join(home, 'one.json');
  const twenty = join(home, 'twenty.json');
  const waitingOne = join(home, 'waiting-one.json');
  writeFileSync(one, JSON.stringify(stdioConfig(1)));
  writeFileSync(twenty, JSON.stringify(waitingConfig(20)));
  writeFileSync(waitingOne, JSON.stringify(waitingConfig(1)));
  const model = await startScriptedModel(script, { name: 'bench model' });
  const base = cleanEnv();
  const mcpshDirs = {
    MCPSH_CONFIG_DIR: dirs.config,
    MCPSH_STATE_DIR: dirs.state,
    MCPSH_DATA_DIR: dirs.data,
    MCPSH_CACHE_DIR: dirs.cache,
    MCPSH_TRUST: '1',
  };
  return {
    home,
    configs: { one, twenty, waitingOne },
    model,
    /** For mcpsh and the floor alike (the floor ignores the MCPSH_ variables). */
    env: { ...base, ...mcpshDirs, OPENAI_API_KEY: 'bench' },
    /** For the chat: no model anywhere, so it opens in tools-only mode. */
    chatEnv: { ...base, ...mcpshDirs },
    async tearDown() {
      await model.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
