// Test harness for the CRM server: spawns the built CLI (`node bin/mcpsh.js serve crm ...`) in a private temp
// home, reads the real URL from its stderr line, and connects real SDK clients over Streamable HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { signCrmToken } from '../../../src/servers/crm/auth.js';
import { scaled } from '../../helpers/time.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin', 'mcpsh.js');
export const SECRET = 'integration-test-secret-0123456789abcdef';

export interface CrmProcess {
  url: string;
  dir: string;
  dbFile: string;
  auditFile: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM, then wait for exit; returns the exit code (or the signal name). */
  stop: () => Promise<number | string | null>;
}

/** A private XDG home under `dir`; an `extra` value of undefined removes that variable. */
export function isolatedEnv(dir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MCPSH_DATA_DIR: join(dir, 'data'),
    MCPSH_STATE_DIR: join(dir, 'state'),
    MCPSH_CONFIG_DIR: join(dir, 'config'),
    MCPSH_CACHE_DIR: join(dir, 'cache'),
    MCPSH_CRM_SECRET: SECRET,
    ...extra,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'servers', 'crm', 'run.js'))) {
    throw new Error('dist/ has no CRM server: build first with `npx tsc -p tsconfig.build.json` (npm test does it)');
  }
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mcpsh-crm-'));
}

export async function startCrm(extraArgs: string[] = [], env: Record<string, string | undefined> = {}): Promise<CrmProcess> {
  assertBuilt();
  const dir = tempDir();
  const dbFile = join(dir, 'crm.db');
  const auditFile = join(dir, 'audit.jsonl');
  const args = [BIN, 'serve', 'crm', '--port', '0', '--demo', '--db', dbFile, '--audit-log', auditFile, ...extraArgs];
  const child = spawn(process.execPath, args, { env: isolatedEnv(dir, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string | null>((done) => child.once('exit', (code, signal) => done(code ?? signal)));

  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`CRM server did not report its URL within 10s; stderr:\n${stderr}`)), 10_000);
    const onData = (): void => {
      const match = /crm: listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stderr.off('data', onData);
        done(match[1]);
      }
    };
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`CRM server exited (${String(code)}) before listening; stderr:\n${stderr}`));
    });
  });

  const stop = async (): Promise<number | string | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
    return code;
  };
  return { url, dir, dbFile, auditFile, child, stderr: () => stderr, stop };
}

export async function mintToken(
  scopes: string[],
  options: { subject?: string; expiresInSeconds?: number; now?: Date; secret?: string } = {},
): Promise<string> {
  return signCrmToken(new TextEncoder().encode(options.secret ?? SECRET), {
    subject: options.subject ?? 'tester',
    scopes,
    expiresInSeconds: options.expiresInSeconds ?? 600,
    ...(options.now ? { now: options.now } : {}),
  });
}

export interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  close: () => Promise<void>;
}

export async function connect(url: string, token: string | null): Promise<Connected> {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'crm-integration-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    transport,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

/** Runs the built CLI to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`mcpsh ${args.join(' ')} did not finish within 15s; stderr:\n${stderr}`));
    }, scaled(15_000));
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The text of a tool result's first content item. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n');
}
