// Whether a server's tool list can be trusted for a decision: after notifications/tools/list_changed the list
// (and the annotations approvals read from it) is stale until a tools/list that began after it has finished.
import type { StateWatch } from './server-state.js';
import { waitWhileStarting } from './wait-state.js';

export class ToolListFreshness {
  /** list_changed notifications seen so far. */
  private announced = 0;
  /** The latest notification a finished tools/list began after. */
  private readAfter = 0;

  /** A list_changed arrived: the list is stale until the next read that starts from now on finishes. */
  announce(): void {
    this.announced += 1;
  }

  /** Marks the start of a tools/list; call the returned function once the new list is in place. */
  beginRead(): () => void {
    const seen = this.announced;
    return () => {
      this.readAfter = Math.max(this.readAfter, seen);
    };
  }

  get current(): boolean {
    return this.readAfter >= this.announced;
  }
}

interface Watched extends StateWatch {
  onToolsChanged(listener: () => void): () => void;
}

/**
 * Waits (bounded) until the server is up and its tool list is current; true when it is, false when the wait
 * ran out, was aborted, or the server went down meanwhile (a call must then not be judged on the old list).
 */
export async function waitUntilCurrent(
  c: Watched,
  freshness: ToolListFreshness,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  await waitWhileStarting(c, timeoutMs, signal);
  if (freshness.current || c.state !== 'ready' || signal?.aborted) return freshness.current && c.state === 'ready';
  return new Promise<boolean>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      offTools();
      offState();
      signal?.removeEventListener('abort', done);
      resolve(freshness.current && c.state === 'ready');
    };
    const check = (): void => {
      if (freshness.current || c.state !== 'ready') done();
    };
    const offTools = c.onToolsChanged(check);
    const offState = c.onStateChange(check);
    const timer = setTimeout(done, timeoutMs);
    signal?.addEventListener('abort', done, { once: true });
  });
}
