// Process helpers for tests: process-tree inspection (Linux /proc; no server may outlive mcpsh) and running a script in a fresh node.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { scaled } from './time.js';

interface ProcStat {
  state: string;
  ppid: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name sits in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const ppid = Number(fields[1]);
  return state === undefined || !Number.isInteger(ppid) ? undefined : { state, ppid };
}

/** True while the process exists and is not a zombie (exited but not yet reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Every living descendant of pid (children, grandchildren, …), found by walking parent pids in /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = Number(entry);
    const stat = readStat(child);
    if (stat === undefined || stat.state === 'Z') continue;
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(child);
    else children.set(stat.ppid, [child]);
  }
  const found: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error, to say what was being waited for. */
  what?: string;
}

/** Polls until predicate returns true; rejects after timeoutMs (default 5000), scaled by TEST_TIME_SCALE. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  const { intervalMs = 25, what = 'condition' } = options;
  const timeoutMs = scaled(options.timeoutMs ?? 5000);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() >= deadline) throw new Error(`waitFor: ${what} not met within ${timeoutMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Pids of live processes whose command line mentions `marker`. */
export function processesMentioning(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Runs an ES module given as text in a fresh node, stdout ignored; resolves with its exit code and stderr. */
export function runNode(code: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (exit) => resolve({ code: exit, stderr }));
  });
}
