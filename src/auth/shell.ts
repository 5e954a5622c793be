// Runs a credential command (headersHelper, assertionCommand, idTokenCommand) in a shell: its own process
// group, killed whole when it overstays; stdout and stderr bounded. Callers treat stdout as a secret.
import { spawn } from 'node:child_process';

const MAX_OUTPUT = 64 * 1024;

export interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function runShell(command: string, env: NodeJS.ProcessEnv, cwd: string | undefined, timeoutMs: number): Promise<ShellResult> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const kill = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString();
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout: '', stderr: err.message, timedOut: false });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
