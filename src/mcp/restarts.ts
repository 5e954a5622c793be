// What happens when a ready server is lost: it is started again (stdio) or reconnected (HTTP/SSE) after an
// exponential backoff with jitter, up to maxRestarts (a budget renewed once it has stayed up a minute).
import type { ResolvedServer } from '../config/schema.js';
import { AppError } from '../errors.js';
import { redact } from '../policy/redact.js';
import { backoffMs } from './call-errors.js';
import type { ServerState } from './connection.js';
import type { ServerMetrics } from './metrics.js';

/** A server that stayed up this long has its restart budget renewed. */
const STABLE_MS = 60_000;

/** The connection as the restart logic sees it. */
export interface RestartHost {
  readonly name: string;
  readonly config: ResolvedServer;
  readonly metrics: ServerMetrics;
  isClosing(): boolean;
  state(): ServerState;
  setState(next: ServerState): void;
  setError(message: string): void;
  /** Opens a session and lists tools; returns why it failed, or undefined once ready. */
  establish(): Promise<string | undefined>;
  fail(reason: string): Promise<void>;
  dropTransport(): Promise<void>;
}

export class Restarts {
  private attempts = 0;
  private readySince = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly host: RestartHost) {}

  /** The server is up (again): the time it stays up renews the budget. */
  markReady(): void {
    this.readySince = Date.now();
  }

  /**
   * The server died or the connection was lost while it was ready: start it again (or reconnect) after
   * a backoff, up to maxRestarts times (renewed once it has stayed up for a minute); then it stays failed.
   */
  handleLoss(reason: string): void {
    const host = this.host;
    if (host.isClosing() || host.state() !== 'ready') return;
    const error = redact(reason);
    host.setError(error);
    host.metrics.lastError = error;
    if (Date.now() - this.readySince > STABLE_MS) this.attempts = 0;
    const max = host.config.maxRestarts;
    if (this.attempts >= max) {
      const gaveUp = max > 0 ? ` (gave up after ${max} restart${max === 1 ? '' : 's'})` : '';
      void host.fail(`${reason}${gaveUp}`);
      return;
    }
    host.setState('restarting');
    void host.dropTransport();
    this.schedule();
  }

  /** A new session at once (for an expired one); the server is failed if it cannot be had. */
  async reconnectNow(): Promise<void> {
    const host = this.host;
    await host.dropTransport();
    host.setState('restarting');
    const reason = await host.establish();
    if (reason !== undefined) {
      await host.fail(reason);
      throw new AppError('SERVER_UNAVAILABLE', `${host.name}: the session expired and a new one could not be opened: ${reason}`);
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
    const host = this.host;
    if (host.isClosing() || host.state() !== 'restarting') return;
    const reason = await host.establish();
    if (reason === undefined) {
      host.metrics.restarts += 1;
      return;
    }
    if (host.isClosing()) return;
    if (this.attempts >= host.config.maxRestarts) await host.fail(`${reason} (gave up after ${this.attempts} restart attempt${this.attempts === 1 ? '' : 's'})`);
    else {
      host.setError(reason);
      this.schedule();
    }
  }
}
