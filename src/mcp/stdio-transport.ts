// MCP over stdio, owning the server's whole process tree: the server runs in its own process group
// so closing ends it and everything it started (npx, shell wrappers), and its stderr goes to a log file.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { parseJSONRPCMessage } from '@modelcontextprotocol/client';
import type { JSONRPCMessage, Transport } from './types.js';
import { createStreamRedactor, redact } from '../policy/redact.js';
import { LineSplitter } from './line-splitter.js';
import { informativeLine } from './stderr-clue.js';
import { descendantPids, killTree, trackChild, untrackChild } from './process-tree.js';

export interface StdioTransportOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** The server's stderr is appended here (never to our own stdout/stderr). */
  stderrLogPath?: string;
  /** Largest single message accepted; a longer line is dropped with an error, the connection goes on. */
  maxMessageBytes?: number;
  /** How long close() waits for a polite exit before SIGTERM, then SIGKILL. */
  gracePeriodMs?: number;
}

const STDERR_TAIL_LINES = 20;

export class ProcessStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private stderrLog: WriteStream | undefined;
  private readonly stderrTail: string[] = [];
  private readonly stderrRedactor = createStreamRedactor();
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private closing = false;
  /** The id of a server/discover probe still waiting for its answer (see handleLine). */
  private probeId: string | number | undefined;
  protocolVersion: string | undefined;

  constructor(private readonly options: StdioTransportOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * The child's stderr stream. The SDK recognises a stdio transport by `stderr` and `pid` being present:
   * then a server/discover probe that goes unanswered (or ends the process) means legacy, not an error.
   */
  get stderr(): NodeJS.ReadableStream | null {
    return this.child?.stderr ?? null;
  }

  /** The last lines the server wrote on stderr: the best clue when it dies at start. */
  get recentStderr(): string[] {
    return [...this.stderrTail];
  }

  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitInfo;
  }

  /** After the server exited: how, and the most informative thing it said on stderr (the best clue). */
  describeExit(): string | undefined {
    if (!this.exitInfo) return undefined;
    const { code, signal } = this.exitInfo;
    return `server process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${this.stderrClue()}`;
  }

  /** `: <its most informative recent stderr line>` (stderr-clue.ts), or '' when the server said nothing. */
  stderrClue(): string {
    const line = informativeLine(this.stderrTail);
    return line ? `: ${line}` : '';
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  start(): Promise<void> {
    if (this.child) throw new Error('stdio transport already started');
    const { command, args, env, cwd } = this.options;
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true, windowsHide: true });
      this.child = child;
      this.openStderrLog();
      child.once('error', (err: NodeJS.ErrnoException) => {
        const error = describeSpawnError(err, command, cwd);
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => {
        if (child.pid !== undefined) trackChild(child.pid);
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
      });
      child.once('close', () => {
        if (child.pid !== undefined) untrackChild(child.pid);
        this.stderrLog?.end(this.stderrRedactor.flush());
        this.child = undefined;
        this.onclose?.();
      });
      const splitter = new LineSplitter(this.options.maxMessageBytes ?? 64 * 1024 * 1024);
      child.stdout?.on('data', (chunk: Buffer) => {
        for (const item of splitter.push(chunk)) {
          if (item.kind === 'overflow') {
            this.onerror?.(new Error(`server sent a message over ${item.limit} bytes; it was dropped`));
          } else {
            this.handleLine(item.line);
          }
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => this.handleStderr(chunk));
      child.stdin?.on('error', (err) => {
        // EPIPE when the server has died; the close event reports that.
        if (!this.closing) this.onerror?.(err);
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error('server process is not running'));
    if ('method' in message && message.method === 'server/discover' && 'id' in message) this.probeId = message.id;
    return new Promise((resolve) => {
      if (stdin.write(`${JSON.stringify(message)}\n`)) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  /** Ends the server and every process it started: stdin closed, then SIGTERM, then SIGKILL to the group. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || this.closing) return;
    this.closing = true;
    const pid = child.pid;
    const grace = this.options.gracePeriodMs ?? 1500;
    // Descendants that moved to their own process group would escape a group kill; note them first.
    const stragglers = pid === undefined ? [] : descendantPids(pid);
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.stdin?.end();
    if (pid !== undefined) {
      if (!(await settlesWithin(exited, grace / 3))) killTree(pid, 'SIGTERM');
      if (!(await settlesWithin(exited, grace))) killTree(pid, 'SIGKILL');
      await settlesWithin(exited, grace);
      // The leader may be gone while its group lives on; make sure nothing is left.
      killTree(pid, 'SIGKILL', stragglers);
    }
  }

  private handleLine(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      this.onerror?.(new Error(`server wrote non-JSON on stdout: ${preview(trimmed)}`));
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(this.correlateProbeAnswer(parsed));
    } catch {
      this.onerror?.(new Error(`server wrote a message that is not JSON-RPC: ${preview(trimmed)}`));
      return;
    }
    this.onmessage?.(message);
  }

  /**
   * A 2025-era server may refuse the era probe with an error whose id is null ("not initialized"): that is
   * its answer to the probe, so it gets the probe's id (an instant legacy verdict instead of a timeout).
   */
  private correlateProbeAnswer(parsed: unknown): unknown {
    const probeId = this.probeId;
    if (probeId === undefined || typeof parsed !== 'object' || parsed === null || 'method' in parsed) return parsed;
    const id = (parsed as { id?: unknown }).id;
    if (id === probeId) this.probeId = undefined;
    else if ((id === null || id === undefined) && 'error' in parsed) {
      this.probeId = undefined;
      return { ...parsed, id: probeId };
    }
    return parsed;
  }

  private handleStderr(chunk: Buffer): void {
    // A server may echo its own arguments or environment: secrets are masked before they are kept.
    const text = this.stderrRedactor.push(chunk.toString('utf8'));
    this.stderrLog?.write(text);
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    this.stderrTail.push(...lines.map((l) => preview(l, 300)));
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.splice(0, this.stderrTail.length - STDERR_TAIL_LINES);
  }

  private openStderrLog(): void {
    const path = this.options.stderrLogPath;
    if (!path) return;
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.stderrLog = createWriteStream(path, { flags: 'a', mode: 0o600 });
      this.stderrLog.on('error', () => {
        this.stderrLog = undefined;
      });
      this.stderrLog.write(redact(`--- ${new Date().toISOString()} started: ${this.options.command} ${this.options.args.join(' ')}\n`));
    } catch {
      this.stderrLog = undefined;
    }
  }
}

function describeSpawnError(err: NodeJS.ErrnoException, command: string, cwd: string): Error {
  if (err.code === 'ENOENT') {
    return new Error(`command not found: ${command} (is it installed and on PATH, or does cwd ${cwd} exist?)`);
  }
  if (err.code === 'EACCES') return new Error(`permission denied running ${command} (is it executable?)`);
  return new Error(`could not start ${command}: ${err.message}`);
}

function preview(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = promise.then(() => true);
  const result = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return result;
}
