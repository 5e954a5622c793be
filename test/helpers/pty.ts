// Runs the built CLI in a pseudo-terminal (node-pty) and keeps a headless xterm fed with its output,
// so tests can read the screen as a person would see it: text after all cursor moves and redraws.
import xterm from '@xterm/headless';
import { spawn, type IPty } from 'node-pty';
import { BIN } from './cli.js';
import { waitFor } from './processes.js';

export interface PtyOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
}

export interface PtySession {
  pid: number;
  /** Everything on the terminal, scrollback included, one string per row, right-trimmed. */
  lines(): string[];
  /** The visible screen only. */
  screen(): string;
  /** The whole buffer (scrollback and screen) as text. */
  text(): string;
  /** Every byte the program wrote, escape sequences included. */
  raw(): string;
  write(data: string): void;
  /** Types text, then presses the keys (each one its own write, like a person). */
  type(text: string, ...keys: string[]): Promise<void>;
  waitForText(match: string | RegExp, options?: { timeoutMs?: number; in?: 'screen' | 'all' }): Promise<void>;
  resize(cols: number, rows: number): void;
  exited: Promise<{ exitCode: number; signal?: number }>;
  kill(): Promise<void>;
}

export const KEYS = {
  enter: '\r',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  esc: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  tab: '\t',
} as const;

/** The environment with the variables that make Ink render as if in CI (one frame at the end) removed. */
export function interactiveEnv(base: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) continue;
    env[key] = value;
  }
  return { ...env, TERM: 'xterm-256color' };
}

export function spawnCliInPty(args: string[], options: PtyOptions): PtySession {
  const cols = options.cols ?? 100;
  const rows = options.rows ?? 40;
  const term = new xterm.Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
  const child: IPty = spawn(process.execPath, [BIN, ...args], {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: options.cwd,
    env: interactiveEnv(options.env),
  });
  let pending = 0;
  let output = '';
  child.onData((data) => {
    output += data;
    pending += 1;
    term.write(data, () => {
      pending -= 1;
    });
  });
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => child.onExit((e) => resolve(e)));
  let done = false;
  void exited.then(() => {
    done = true;
  });

  const lines = (): string[] => {
    const buffer = term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < buffer.length; y++) out.push(buffer.getLine(y)?.translateToString(true) ?? '');
    while (out.length > 0 && out.at(-1) === '') out.pop();
    return out;
  };
  const screen = (): string => {
    const buffer = term.buffer.active;
    const out: string[] = [];
    for (let y = buffer.baseY; y < buffer.baseY + term.rows; y++) out.push(buffer.getLine(y)?.translateToString(true) ?? '');
    return out.join('\n').trimEnd();
  };
  const text = (): string => lines().join('\n');
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  return {
    pid: child.pid,
    lines,
    screen,
    text,
    raw: () => output,
    write: (data) => child.write(data),
    async type(input, ...keys) {
      if (input !== '') child.write(input);
      for (const key of keys) {
        await pause(60);
        child.write(key);
      }
    },
    async waitForText(match, opts = {}) {
      const read = opts.in === 'screen' ? screen : text;
      const test = (): boolean => pending === 0 && (typeof match === 'string' ? read().includes(match) : match.test(read()));
      try {
        await waitFor(test, { timeoutMs: opts.timeoutMs ?? 8000, what: `${String(match)} on the terminal` });
      } catch (err) {
        throw new Error(`${(err as Error).message}\n--- screen ---\n${screen()}\n--------------`);
      }
    },
    resize(c, r) {
      child.resize(c, r);
      term.resize(c, r);
    },
    exited,
    async kill() {
      if (done) return;
      child.kill('SIGKILL');
      await Promise.race([exited, pause(2000)]);
      term.dispose();
    },
  };
}
