// The maxCallTime clocks of the calls in flight on one connection, so that a person's time in a dialog a
// server asked for (elicitation, a sampling approval) is not counted against the call it belongs to.
//
// Neither era says, in a way mcpsh can see, which call a question belongs to: a legacy server's request arrives
// on its own, and the SDK answers a modern input_required round from where the response came in, not from the
// call's async context. So every call in flight on that server stands still while a person answers; each is still
// bounded by its callTimeout (silence) and by cancellation, and its clock runs on from where it stopped.
import type { PausableDeadline } from './deadline.js';

export class CallClocks {
  private readonly live = new Set<PausableDeadline>();

  /** Runs one call with its clock registered. */
  async run<T>(clock: PausableDeadline, work: () => Promise<T>): Promise<T> {
    this.live.add(clock);
    try {
      return await work();
    } finally {
      this.live.delete(clock);
    }
  }

  /** A person is being asked on the server's behalf: stops the clocks until the returned function is called. */
  pauseForPerson(): () => void {
    const resumes = [...this.live].map((clock) => clock.pause());
    return () => {
      for (const resume of resumes) resume();
    };
  }
}
