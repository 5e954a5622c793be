// Waiting out a server's start or restart: calls made meanwhile go out once it is up (or give up).
import type { ServerState, StateWatch } from './server-state.js';

/** Waits (bounded) while a server is starting or restarting; calls made meanwhile go out once it is up. */
export function waitWhileStarting(c: StateWatch, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const starting = (state: ServerState): boolean => state === 'connecting' || state === 'restarting';
  if (!starting(c.state)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      off();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const off = c.onStateChange((state) => {
      if (!starting(state)) done();
    });
    const timer = setTimeout(done, timeoutMs);
    signal?.addEventListener('abort', done, { once: true });
  });
}
