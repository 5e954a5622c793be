// The modern era's change notifications: nothing arrives unless a subscriptions/listen stream is open. One
// stream per modern server in long-lived sessions, for the list changes it advertises; re-opened (with
// backoff) when the server ends it, closed with the session. Legacy servers need none of this.
import type { Client, McpSubscription } from '@modelcontextprotocol/client';
import { errorMessage } from '../errors.js';
import { backoffMs } from './call-errors.js';
import type { Era } from './era.js';
import type { ServerCapabilities } from './types.js';

interface Host {
  client(): Client | undefined;
  capabilities(): ServerCapabilities | undefined;
  onError(message: string): void;
}

const MAX_REOPENS = 5;

export class ChangeSubscription {
  private current: McpSubscription | undefined;
  private opening: Promise<void> | undefined;
  /** Bumped on close(): a stream opened for an older session is closed as soon as it arrives. */
  private generation = 0;
  private reopens = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly host: Host) {}

  get active(): boolean {
    return this.current !== undefined;
  }

  open(era: Era): void {
    if (era !== 'modern' || this.current || this.opening) return;
    const client = this.host.client();
    const caps = this.host.capabilities();
    const filter = {
      ...(caps?.tools?.listChanged ? { toolsListChanged: true } : {}),
      ...(caps?.prompts?.listChanged ? { promptsListChanged: true } : {}),
      ...(caps?.resources?.listChanged ? { resourcesListChanged: true } : {}),
    };
    if (!client || Object.keys(filter).length === 0) return;
    const generation = this.generation;
    this.opening = client
      .listen(filter)
      .then(async (subscription) => {
        if (generation !== this.generation) return subscription.close();
        this.current = subscription;
        void subscription.closed.then((how) => {
          if (this.current !== subscription) return;
          this.current = undefined;
          // The server (or the network) ended it: listen again, a bounded number of times.
          if (how === 'remote' && generation === this.generation && this.reopens < MAX_REOPENS) this.scheduleReopen(era);
        });
      })
      .catch((err: unknown) => this.host.onError(`subscriptions/listen failed: ${errorMessage(err)}`))
      .finally(() => {
        this.opening = undefined;
      });
  }

  async close(): Promise<void> {
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const current = this.current;
    this.current = undefined;
    this.reopens = 0;
    await current?.close().catch(() => undefined);
  }

  private scheduleReopen(era: Era): void {
    const generation = this.generation;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (generation === this.generation) this.open(era);
    }, backoffMs(this.reopens++));
    this.timer.unref();
  }
}
