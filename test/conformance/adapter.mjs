#!/usr/bin/env node
// The MCP conformance suite's client under test: turns one scenario (server URL as the last argument,
// MCP_CONFORMANCE_SCENARIO / MCP_CONFORMANCE_CONTEXT in the environment) into ordinary `mcpsh` commands.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SERVER, configFor, plannedCalls, secretEnv } from './config.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', '..', 'bin', 'mcpsh.js');
const SCHEMA = join(HERE, '..', '..', 'dist', 'config', 'schema.js');
const BROWSER = join(HERE, 'headless-browser.mjs');

const url = process.argv[process.argv.length - 1];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = parseContext(process.env.MCP_CONFORMANCE_CONTEXT);
// The suite's revision (0.2 sets it; 0.1.13 does not, so mcpsh's default applies); a local run may override it.
const revision = process.env.MCPSH_CONFORMANCE_PROTOCOL_VERSION || process.env.MCP_CONFORMANCE_PROTOCOL_VERSION || undefined;
if (!url || !/^https?:\/\//.test(url)) fail(`usage: adapter.mjs <server-url> (got ${JSON.stringify(url)})`);

const home = mkdtempSync(join(tmpdir(), 'mcpsh-conformance-'));
const configPath = join(home, 'mcp.config.json');
const { config, gaps } = configFor(scenario, url, context, {
  revision,
  browser: `${process.execPath} ${BROWSER}`,
  accepts: await schemaCheck(),
});
// A setting the scenario needs that this build's config refuses: named, so the failure says why.
for (const gap of gaps) process.stderr.write(`adapter: GAP: ${gap}\n`);
writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
let current;
// The suite ends a client that runs too long with SIGTERM: pass it on so no mcpsh outlives the scenario.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    current?.kill(signal);
    cleanup();
    process.exit(1);
  });
}

try {
  process.exitCode = await runScenario();
} finally {
  cleanup();
}

/**
 * Every scenario is the same user story: sign in when the server needs it, list the tools, call them.
 * The auth scenarios sign in first with `mcpsh auth login`, whose browser step is the headless script.
 */
async function runScenario() {
  const auth = scenario.startsWith('auth/');
  if (auth) {
    const login = await mcpsh(['auth', 'login', SERVER]);
    if (login.code !== 0) return login.code;
  }
  // `tools` uses the stored token only (as in CI); `call` may sign in again, for a step-up to more scopes.
  // Except where the scenario moves the server to another authorization server right after `auth login` (which
  // lists tools itself): only a new sign-in there answers the next 401, as a user would have to.
  const reauth = scenario === 'auth/authorization-server-migration' ? ['--interactive-auth'] : [];
  const listed = await mcpsh(['tools', SERVER, '--json', ...reauth]);
  if (listed.code !== 0) {
    // `tools --json` reports a server that failed in its JSON, not on stderr: repeat it for the runner's summary.
    for (const f of failedServers(listed.stdout)) process.stderr.write(`adapter: error: ${f.error}\n`);
    return listed.code;
  }
  const tools = JSON.parse(listed.stdout).tools;
  let code = 0;
  for (const { tool, args, okCodes = [0] } of plannedCalls(scenario, context, tools)) {
    const call = await mcpsh(['call', SERVER, tool, JSON.stringify(args), ...(auth ? ['--interactive-auth'] : [])]);
    if (!okCodes.includes(call.code)) code = call.code;
  }
  // The standard-headers scenario also serves resources and prompts, to see Mcp-Name on resources/read and prompts/get.
  if (scenario === 'http-standard-headers') code = (await readEverything()) || code;
  return code;
}

function failedServers(stdout) {
  try {
    return JSON.parse(stdout).failed ?? [];
  } catch {
    return [];
  }
}

async function readEverything() {
  let code = 0;
  const resources = await mcpsh(['resources', SERVER, '--json']);
  if (resources.code !== 0) return resources.code;
  for (const r of JSON.parse(resources.stdout).resources) code = (await mcpsh(['read', SERVER, r.uri, '--json'])).code || code;
  const prompts = await mcpsh(['prompts', SERVER, '--json']);
  if (prompts.code !== 0) return prompts.code;
  for (const p of JSON.parse(prompts.stdout).prompts) {
    const args = p.arguments.filter((a) => a.required).map((a) => `${a.name}=test`);
    code = (await mcpsh(['prompt', SERVER, p.name, ...args, '--json'])).code || code;
  }
  return code;
}

/**
 * Whether this build's config schema takes a server entry: the built dist/config/schema.js, so the adapter
 * follows the schema as it grows (protocolVersion, new OAuth grants) instead of writing a config it rejects.
 */
async function schemaCheck() {
  try {
    const { ServerEntrySchema } = await import(pathToFileURL(SCHEMA).href);
    return (entry) => {
      const r = ServerEntrySchema.safeParse(entry);
      return r.success ? true : r.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ');
    };
  } catch (err) {
    // No build to ask: write everything and let mcpsh say what it refuses.
    process.stderr.write(`adapter: cannot load ${SCHEMA} (${err.message}); config not pre-checked\n`);
    return () => true;
  }
}

function mcpsh(args) {
  const env = { ...process.env, NO_COLOR: '1', MCPSH_TRUST: '1' };
  // The user's own config, tokens and caches stay out of it: every run gets empty dirs.
  for (const [key, sub] of Object.entries({
    MCPSH_CONFIG_DIR: 'config',
    MCPSH_STATE_DIR: 'state',
    MCPSH_DATA_DIR: 'data',
    MCPSH_CACHE_DIR: 'cache',
  })) {
    env[key] = join(home, sub);
    mkdirSync(env[key], { recursive: true });
  }
  delete env.MCP_CONFORMANCE_CONTEXT;
  Object.assign(env, secretEnv(context));
  const full = ['--config', configPath, ...args];
  process.stderr.write(`adapter: $ mcpsh ${full.join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...full], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d.toString();
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.once('error', (err) => resolve({ code: 127, stdout: `${stdout}${err.message}` }));
    child.once('close', (code, signal) => {
      current = undefined;
      process.stderr.write(`adapter: exit ${code ?? signal}\n`);
      resolve({ code: code ?? 1, stdout });
    });
  });
}

function parseContext(text) {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return fail('MCP_CONFORMANCE_CONTEXT is not JSON');
  }
}

function cleanup() {
  rmSync(home, { recursive: true, force: true });
}

function fail(message) {
  process.stderr.write(`adapter: ${message}\n`);
  process.exit(2);
}
