// Runs the built CLI (dist/, via bin/mcpsh.js) as a user would: a real process, exact streams and exit code.
// The user-level config, state and data dirs point at empty temp dirs so the machine's own files never leak in.
// Runs trust the temp project's config (MCPSH_TRUST=1) unless a test opts out with env { MCPSH_TRUST: undefined }.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './config.js';
import { DURATION, scaled } from './time.js';

export const BIN = join(ROOT, 'bin/mcpsh.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

export function isolatedEnv(base: string): Record<string, string> {
  const dirs = { MCPSH_CONFIG_DIR: 'config', MCPSH_STATE_DIR: 'state', MCPSH_DATA_DIR: 'data', MCPSH_CACHE_DIR: 'cache' };
  // The temp project's config is the test's own: trust it, as CI would with MCPSH_TRUST=1.
  const env: Record<string, string> = { MCPSH_TRUST: '1' };
  for (const [key, sub] of Object.entries(dirs)) {
    const dir = join(base, '.mcpsh-home', sub);
    mkdirSync(dir, { recursive: true });
    env[key] = dir;
  }
  return env;
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...isolatedEnv(options.cwd), ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const timeoutMs = scaled(options.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcpsh ${args.join(' ')} did not exit within ${timeoutMs}ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, pid: child.pid ?? -1 });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A temp project dir holding the given mcp.config.json. */
export function projectWithConfig(config: unknown, fileName = 'mcp.config.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-e2e-'));
  writeFileSync(join(dir, fileName), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return dir;
}

/** Timings vary run to run, and so does their unit (`980 ms`, `1.6 s`): each becomes `<duration>`, so the rest of the output can be compared exactly. */
export function normalizeTimings(text: string): string {
  return text.replace(new RegExp(String.raw`\b${DURATION}(?![\w.])`, 'g'), '<duration>');
}
