// Runs one hook command: `sh -c` in its own process group, the event as JSON on stdin, stdout and stderr
// bounded, the whole group killed when it overstays its timeout or the run is cancelled. Never throws.
import { ChildProcess, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Bytes of stdout and of stderr kept from one hook; the rest is read and dropped. */
export const MAX_HOOK_OUTPUT = 64 * 1024;
/** How long output pipes may stay open after the hook exited (a backgrounded child holding them). */
const PIPE_GRACE_MS = 200;

export interface CommandRun {
  /** The exit code; null when it was killed (timedOut, cancelled) or died of a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the shell could not be started at all. */
  spawnError?: string;
}

export interface CommandOptions {
  input: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal;
}

export function runHookCommand(command: string, options: CommandOptions): Promise<CommandRun> {
  return new Promise((resolve) => {
    if (options.signal.aborted) {
      resolve({ code: null, stdout: '', stderr: '', timedOut: false, cancelled: true });
      return;
    }
    const child = startShell(command, options);
    if (!(child instanceof ChildProcess)) {
      resolve({ code: null, stdout: '', stderr: '', timedOut: false, cancelled: false, spawnError: child.error });
      return;
    }
    const out = new Bounded();
    const err = new Bounded();
    let timedOut = false;
    let cancelled = false;
    let exitCode: number | null = null;
    let settled = false;
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const finish = (spawnError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      options.signal.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        code: timedOut || cancelled ? null : exitCode,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        cancelled,
        ...(spawnError !== undefined ? { spawnError } : {}),
      });
    };
    const onAbort = (): void => {
      cancelled = true;
      killGroup();
      finish();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
      finish();
    }, options.timeoutMs);
    let grace: NodeJS.Timeout | undefined;
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    // A hook that does not read its stdin (or exits first) must not fail the write.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
    child.once('error', (e) => finish(e.message));
    child.once('exit', (code) => {
      exitCode = code;
      grace = setTimeout(() => finish(), PIPE_GRACE_MS);
    });
    child.once('close', (code) => {
      exitCode ??= code;
      finish();
    });
  });
}

function startShell(command: string, options: CommandOptions): ChildProcessWithoutNullStreams | { error: string } {
  try {
    // Its own process group (detached), so a timeout ends whatever the hook started too.
    return spawn(command, {
      shell: true,
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Keeps the first MAX_HOOK_OUTPUT bytes of a stream. */
class Bounded {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private cut = false;

  push(chunk: Buffer): void {
    const room = MAX_HOOK_OUTPUT - this.size;
    if (room <= 0) {
      this.cut = this.cut || chunk.length > 0;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.cut = true;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.cut ? `${text}\n[output cut at ${MAX_HOOK_OUTPUT} bytes]` : text;
  }
}
