// maxCallTime stands still while a person answers: PausableDeadline resumes with the time that was left (or the
// full time, for connectTimeout), pauses nest, and CallClocks pauses the calls in flight on a connection.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallClocks } from '../../../src/mcp/call-clock.js';
import { PausableDeadline } from '../../../src/mcp/deadline.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('PausableDeadline', () => {
  it('resume "remaining": the time paused does not count, the time before does', () => {
    const d = new PausableDeadline(1000, { resume: 'remaining', reason: () => new Error('exceeded maxCallTime (1s)') });
    vi.advanceTimersByTime(600);
    const resume = d.pause();
    vi.advanceTimersByTime(60_000);
    expect(d.expired).toBe(false);
    resume();
    vi.advanceTimersByTime(399);
    expect(d.expired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(d.expired).toBe(true);
    expect((d.signal.reason as Error).message).toBe('exceeded maxCallTime (1s)');
  });

  it('resume "full" (connectTimeout after a sign-in) starts the whole time again', () => {
    const d = new PausableDeadline(1000);
    vi.advanceTimersByTime(900);
    d.pause()();
    vi.advanceTimersByTime(999);
    expect(d.expired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(d.expired).toBe(true);
  });

  it('pauses nest: the clock runs again only when the last one ends; a resume counts once', () => {
    const d = new PausableDeadline(1000, { resume: 'remaining' });
    const first = d.pause();
    const second = d.pause();
    first();
    first();
    vi.advanceTimersByTime(5000);
    expect(d.expired).toBe(false);
    second();
    vi.advanceTimersByTime(1000);
    expect(d.expired).toBe(true);
  });

  it('a cleared deadline stays off, even when a pause ends after it', () => {
    const d = new PausableDeadline(1000, { resume: 'remaining' });
    const resume = d.pause();
    d.clear();
    resume();
    vi.advanceTimersByTime(5000);
    expect(d.expired).toBe(false);
  });
});

describe('CallClocks', () => {
  it('pauses every call in flight on the connection while a person answers, and only those', async () => {
    const clocks = new CallClocks();
    const a = new PausableDeadline(1000, { resume: 'remaining' });
    const b = new PausableDeadline(1000, { resume: 'remaining' });
    const finished = new PausableDeadline(1000, { resume: 'remaining' });
    await clocks.run(finished, () => Promise.resolve());
    const done: Array<() => void> = [];
    const running = [a, b].map((clock) => clocks.run(clock, () => new Promise<void>((resolve) => done.push(resolve))));
    const resume = clocks.pauseForPerson();
    expect([a.paused, b.paused, finished.paused]).toEqual([true, true, false]);
    vi.advanceTimersByTime(5000);
    expect(a.expired).toBe(false);
    resume();
    expect([a.paused, b.paused]).toEqual([false, false]);
    vi.advanceTimersByTime(1000);
    expect(a.expired).toBe(true);
    for (const finish of done) finish();
    await Promise.all(running);
  });
});
