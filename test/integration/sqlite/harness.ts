// Test helpers for `mcpsh serve sqlite`: spawn the built CLI behind a real MCP client over stdio, hash database
// files, and validate structured results against the output schema the server lists.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = join(REPO, 'bin/mcpsh.js');

if (!existsSync(join(REPO, 'dist/servers/sqlite/serve.js'))) {
  throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json` (npm test builds first)');
}

export interface SqliteServer {
  client: Client;
  stderr: () => string;
  tools: Tool[];
  call: (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;
  close: () => Promise<void>;
}

export async function startSqliteServer(args: string[]): Promise<SqliteServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'serve', 'sqlite', ...args],
    cwd: REPO,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const client = new Client({ name: 'sqlite-test', version: '1.0.0' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  return {
    client,
    stderr: () => err,
    tools,
    call: async (name, a = {}) => (await client.callTool({ name, arguments: a })) as CallToolResult,
    close: () => client.close(),
  };
}

export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-sqlite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
}

const ajv = new Ajv({ strict: false, allErrors: true });
// MCP's default dialect is 2020-12, and the server's schemas declare it.
const ajv2020 = new Ajv2020({ strict: false, allErrors: true });

/** Validates a result's structuredContent against the outputSchema the server listed for that tool. */
export function validateStructured(tool: Tool | undefined, result: CallToolResult): string[] {
  if (!tool?.outputSchema) return ['the tool lists no outputSchema'];
  const dialect: unknown = tool.outputSchema.$schema;
  const validate = (typeof dialect === 'string' && dialect.includes('2020-12') ? ajv2020 : ajv).compile(tool.outputSchema);
  if (validate(result.structuredContent)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

export function toolNamed(server: SqliteServer, name: string): Tool | undefined {
  return server.tools.find((t) => t.name === name);
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion with stdin closed at once (or kept open until `signal` is sent after startup). */
export function runCli(args: string[], opts: { killWith?: NodeJS.Signals } = {}): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      // The startup line means the server is listening: now deliver the signal.
      if (opts.killWith && stderr.includes('serving ')) child.kill(opts.killWith);
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolveRun({ code, signal, stdout, stderr });
    });
    if (!opts.killWith) child.stdin.end();
  });
}
