// A timeout that can be paused: connectTimeout bounds starting a server, but not the minutes a person may
// spend in the browser signing in (OAuth) in the middle of it; after the sign-in the full time starts again.

export class PausableDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {
    this.start();
  }

  /** Aborted when the time is up. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Stops the clock; the returned function starts it again with the full time. */
  pause(): () => void {
    this.clear();
    return () => {
      if (!this.expired) this.start();
    };
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(): void {
    this.clear();
    this.timer = setTimeout(() => this.controller.abort(new DOMException('connect timeout', 'TimeoutError')), this.ms);
    // Like AbortSignal.timeout: the clock alone does not keep the process alive.
    this.timer.unref();
  }
}
