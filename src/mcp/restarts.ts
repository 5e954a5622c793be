// What happens when a ready server is lost (its process died, its connection closed, it missed a health ping):
// it is started again (stdio) or reconnected (HTTP/SSE) after an exponential backoff with jitter, up to
// maxRestarts (a budget renewed once it has stayed up a minute); then it stays failed. The connection holds
// the state; this module decides when it changes on the way down and back up.
import type { ResolvedServer } from '../config/schema.js';
import { AppError, errorMessage } from '../errors.js';
import { backoffMs } from './call-errors.js';
import { exitReason } from './connect-failure.js';
import type { ServerMetrics } from './metrics.js';
import type { ServerState } from './server-state.js';
import type { Transport } from './types.js';

/** A server that stayed up this long has its restart budget renewed. */
const STABLE_MS = 60_000;

/** The connection as the restart logic sees it: its state and error are set through it (the error is redacted there). */
export interface RestartTarget {
  readonly name: string;
  readonly config: ResolvedServer;
  readonly metrics: ServerMetrics;
  state: ServerState;
  error: string | undefined;
}

/** What the connection keeps to itself and lends its restarts. */
export interface RestartParts {
  isClosing(): boolean;
  /** Opens a session and lists tools; returns why it failed, or undefined once ready. */
  establish(): Promise<string | undefined>;
  fail(reason: string): Promise<void>;
  dropTransport(): Promise<void>;
}

export class Restarts {
  private attempts = 0;
  private readySince = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly target: RestartTarget,
    private readonly parts: RestartParts,
  ) {}

  /** The server is up (again): the time it stays up renews the budget. */
  markReady(): void {
    this.readySince = Date.now();
  }

  /** The current session's transport closed: a ready server died (stdio: with its exit status and stderr clue). */
  sessionClosed(transport: Transport | undefined): void {
    // While connecting, connect() itself reports the failure (with the exit status and stderr clue).
    if (this.target.state !== 'ready') return;
    this.handleLoss(exitReason(transport) ?? 'connection closed by the server');
  }

  /** A health ping for long sessions: a ready server that does not answer is treated as lost. */
  async checkHealth(ping: () => Promise<unknown>): Promise<void> {
    if (this.target.state !== 'ready') return;
    try {
      await ping();
    } catch (err) {
      this.handleLoss(`did not answer a health ping: ${errorMessage(err)}`);
    }
  }

  /**
   * The server died or the connection was lost while it was ready: start it again (or reconnect) after
   * a backoff, up to maxRestarts times (renewed once it has stayed up for a minute); then it stays failed.
   */
  handleLoss(reason: string): void {
    const { target, parts } = this;
    if (parts.isClosing() || target.state !== 'ready') return;
    target.error = reason;
    target.metrics.lastError = target.error;
    if (Date.now() - this.readySince > STABLE_MS) this.attempts = 0;
    const max = target.config.maxRestarts;
    if (this.attempts >= max) {
      const gaveUp = max > 0 ? ` (gave up after ${max} restart${max === 1 ? '' : 's'})` : '';
      void parts.fail(`${reason}${gaveUp}`);
      return;
    }
    target.state = 'restarting';
    void parts.dropTransport();
    this.schedule();
  }

  /** A new session at once (for an expired one); the server is failed if it cannot be had. */
  async reconnectNow(): Promise<void> {
    const { target, parts } = this;
    await parts.dropTransport();
    target.state = 'restarting';
    const reason = await parts.establish();
    if (reason !== undefined) {
      await parts.fail(reason);
      throw new AppError('SERVER_UNAVAILABLE', `${target.name}: the session expired and a new one could not be opened: ${reason}`);
    }
  }

  /** No restart is pending after this (close()). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const delay = backoffMs(this.attempts);
    this.attempts += 1;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.restart();
    }, delay);
    this.timer.unref();
  }

  private async restart(): Promise<void> {
    const { target, parts } = this;
    if (parts.isClosing() || target.state !== 'restarting') return;
    const reason = await parts.establish();
    if (reason === undefined) {
      target.metrics.restarts += 1;
      return;
    }
    if (parts.isClosing()) return;
    if (this.attempts >= target.config.maxRestarts)
      await parts.fail(`${reason} (gave up after ${this.attempts} restart attempt${this.attempts === 1 ? '' : 's'})`);
    else {
      // A failed attempt (another follows): its reason is recorded like every other, redacted by the connection.
      target.error = reason;
      this.schedule();
    }
  }
}
