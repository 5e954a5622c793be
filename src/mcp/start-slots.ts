// How many stdio servers may be starting at once (spawned and not yet through initialize and tools/list).
// Hundreds started together fight for the CPU until every connectTimeout runs out; a queue keeps each
// server's timeout about that server, because its clock only starts once it holds a slot.
import { availableParallelism } from 'node:os';

interface Waiter {
  grant: () => void;
  reject: (reason: Error) => void;
  signal: AbortSignal | undefined;
}

/** A counting semaphore whose waits can be abandoned with a signal. */
export class StartSlots {
  private active = 0;
  private waiting: Waiter[] = [];
  // One abort listener per signal, not per waiter: hundreds of servers share the hub's signal, and a
  // listener each would set off Node's MaxListenersExceededWarning on stderr.
  private readonly watched = new WeakSet<AbortSignal>();

  constructor(readonly limit: number) {}

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((grant, reject) => {
      this.waiting.push({ grant, reject, signal });
      if (signal && !this.watched.has(signal)) {
        this.watched.add(signal);
        signal.addEventListener('abort', () => this.abandon(signal), { once: true });
      }
    });
    return this.releaser();
  }

  private abandon(signal: AbortSignal): void {
    const reason = signal.reason instanceof Error ? signal.reason : new Error('aborted');
    const gone = this.waiting.filter((w) => w.signal === signal);
    this.waiting = this.waiting.filter((w) => w.signal !== signal);
    for (const w of gone) w.reject(reason);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the slot straight to the next in line, in order; only an unwanted slot is given back.
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.active--;
    };
  }
}

/**
 * Default: four times the CPUs, at least 32. A config of a few dozen servers never waits (starting them all
 * at once is what makes `tools` about as fast as the slowest server, docs/performance.md); hundreds still queue.
 */
export function defaultStartLimit(env: NodeJS.ProcessEnv): number {
  const set = Number(env.MCPSH_MAX_STARTING_SERVERS);
  if (Number.isInteger(set) && set > 0) return set;
  return Math.max(32, availableParallelism() * 4);
}

let shared: StartSlots | undefined;

/** The process-wide slots for stdio servers (every hub in the process shares the CPU). */
export function stdioStartSlots(env: NodeJS.ProcessEnv): StartSlots {
  shared ??= new StartSlots(defaultStartLimit(env));
  return shared;
}

const NO_SLOT = (): void => undefined;

/** A slot for a stdio server; remote servers start at once (their waits are on the network, not the CPU). */
export function startSlotFor(transport: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<() => void> {
  return transport === 'stdio' ? stdioStartSlots(env).acquire(signal) : Promise.resolve(NO_SLOT);
}
