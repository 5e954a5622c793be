// Process lifecycle: cleanup hooks that always run (normal exit, error, SIGINT, SIGTERM), so no child outlives us.

type Cleanup = () => Promise<void> | void;

const cleanups = new Set<Cleanup>();
let installed = false;

/** Register work to do before the process exits; returns a function that unregisters it. */
export function registerCleanup(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Run every registered cleanup once, concurrently, never throwing. */
export async function onShutdown(): Promise<void> {
  const pending = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(pending.map(async (fn) => fn()));
}

export function installSignalHandlers(controller: AbortController): void {
  if (installed) return;
  installed = true;
  let signalled = 0;
  const handle = (signal: NodeJS.Signals): void => {
    signalled += 1;
    if (signalled > 1) {
      // A second Ctrl+C means "now": cleanups already started; leave immediately.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    controller.abort(new Error(`received ${signal}`));
    void onShutdown().finally(() => {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  process.on('SIGHUP', handle);
}
