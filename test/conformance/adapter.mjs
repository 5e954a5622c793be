#!/usr/bin/env node
// The MCP conformance suite's client under test: turns one scenario (server URL as the last argument,
// MCP_CONFORMANCE_SCENARIO / MCP_CONFORMANCE_CONTEXT in the environment) into ordinary `mcpsh` commands.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { argumentsFor } from './arguments.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', '..', 'bin', 'mcpsh.js');
const BROWSER = join(HERE, 'headless-browser.mjs');
/** The name the server has in the temporary config. */
const SERVER = 'conformance';
/** Environment variable that carries a private_key_jwt key into the config (`${...}` interpolation). */
const KEY_VARIABLE = 'CONFORMANCE_CLIENT_PRIVATE_KEY';

const url = process.argv[process.argv.length - 1];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = parseContext(process.env.MCP_CONFORMANCE_CONTEXT);
if (!url || !/^https?:\/\//.test(url)) fail(`usage: adapter.mjs <server-url> (got ${JSON.stringify(url)})`);

const home = mkdtempSync(join(tmpdir(), 'mcpsh-conformance-'));
const configPath = join(home, 'mcp.config.json');
writeFileSync(configPath, `${JSON.stringify(configFor(scenario, url, context), null, 2)}\n`, { mode: 0o600 });
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
 * Every scenario is the same user story: sign in when the server needs it, list the tools, call each one.
 * The auth scenarios sign in first with `mcpsh auth login`, whose browser step is the headless script.
 */
async function runScenario() {
  const auth = scenario.startsWith('auth/');
  if (auth) {
    const login = await mcpsh(['auth', 'login', SERVER]);
    if (login.code !== 0) return login.code;
  }
  // `tools` uses the stored token only (as in CI); `call` may sign in again, for a step-up to more scopes.
  const listed = await mcpsh(['tools', SERVER, '--json']);
  if (listed.code !== 0) return listed.code;
  const tools = JSON.parse(listed.stdout).tools;
  let code = 0;
  for (const tool of tools) {
    const call = await mcpsh(['call', SERVER, tool.tool, JSON.stringify(argumentsFor(tool.inputSchema)), ...(auth ? ['--interactive-auth'] : [])]);
    if (call.code !== 0) code = call.code;
  }
  return code;
}

/** The config a user would write for this server; the scenario's context supplies what a user would know. */
function configFor(name, serverUrl, ctx) {
  const server = { url: serverUrl };
  const oauth = {};
  // Pre-registered (and client-credentials) clients: the credentials the authorization server knows.
  if (typeof ctx.client_id === 'string') oauth.clientId = ctx.client_id;
  if (typeof ctx.client_secret === 'string') oauth.clientSecret = ctx.client_secret;
  // The scenario's authorization server accepts this URL as a client ID metadata document without fetching it.
  if (name === 'auth/basic-cimd') oauth.clientMetadataUrl = 'https://conformance-test.local/client-metadata.json';
  // Machine-to-machine: the operator knows the grant; the key goes in through the environment, as the docs advise.
  if (name.startsWith('auth/client-credentials-')) oauth.grantType = 'client_credentials';
  if (typeof ctx.private_key_pem === 'string') {
    oauth.privateKey = `\${${KEY_VARIABLE}}`;
    if (typeof ctx.signing_algorithm === 'string') oauth.signingAlgorithm = ctx.signing_algorithm;
  }
  if (Object.keys(oauth).length > 0) server.oauth = oauth;
  return {
    mcpServers: { [SERVER]: server },
    // Headless runs answer a server's form with its schema defaults (the conformance elicitation scenario asks for that).
    permissions: { elicitation: 'defaults' },
    ...(name.startsWith('auth/') ? { browser: `${process.execPath} ${BROWSER}` } : {}),
  };
}

function mcpsh(args) {
  const env = { ...process.env, NO_COLOR: '1', MCPSH_TRUST: '1' };
  // The user's own config, tokens and caches stay out of it: every run gets empty dirs.
  for (const [key, sub] of Object.entries({ MCPSH_CONFIG_DIR: 'config', MCPSH_STATE_DIR: 'state', MCPSH_DATA_DIR: 'data', MCPSH_CACHE_DIR: 'cache' })) {
    env[key] = join(home, sub);
    mkdirSync(env[key], { recursive: true });
  }
  delete env.MCP_CONFORMANCE_CONTEXT;
  if (typeof context.private_key_pem === 'string') env[KEY_VARIABLE] = context.private_key_pem;
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
