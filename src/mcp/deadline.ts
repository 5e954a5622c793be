// A timeout that can be paused: connectTimeout bounds starting a server, but not the minutes a person may
// spend in the browser signing in (OAuth) in the middle of it; after the sign-in the full time starts again.
// maxCallTime uses it too, resuming with the time that was left: a person answering a server's question
// (elicitation, a sampling approval) is not the tool taking long.

export interface DeadlineOptions {
  /** After a pause: the full time again (connect, default) or what was left when it paused. */
  resume?: 'full' | 'remaining';
  /** The abort reason once the time is up. */
  reason?: () => unknown;
}

export class PausableDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** Pauses in force (several dialogs may be open at once): the clock runs only at zero. */
  private pauses = 0;
  private endsAt = 0;
  private left: number;
  /** Set by clear(): the bound is over (its work ended), a late resume does not start it again. */
  private cleared = false;

  constructor(
    private readonly ms: number,
    private readonly options: DeadlineOptions = {},
  ) {
    this.left = ms;
    this.start(ms);
  }

  /** Aborted when the time is up. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  get paused(): boolean {
    return this.pauses > 0;
  }

  /** Stops the clock; the returned function (idempotent) starts it again once no other pause holds it. */
  pause(): () => void {
    if (this.pauses++ === 0 && this.timer) {
      this.left = Math.max(0, this.endsAt - Date.now());
      this.stop();
    }
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      if (--this.pauses > 0 || this.expired || this.cleared) return;
      this.start(this.options.resume === 'remaining' ? this.left : this.ms);
    };
  }

  /** The work it bounds is over: stops the clock for good. */
  clear(): void {
    this.cleared = true;
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(ms: number): void {
    this.stop();
    this.endsAt = Date.now() + ms;
    const reason = this.options.reason ?? (() => new DOMException('connect timeout', 'TimeoutError'));
    this.timer = setTimeout(() => this.controller.abort(reason()), ms);
    // Like AbortSignal.timeout: the clock alone does not keep the process alive.
    this.timer.unref();
  }
}
