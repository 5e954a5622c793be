// linkSignals (src/linked-signal.ts): AbortSignal.any for work that ends, with listeners that go away on
// dispose().
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkSignals } from '../../src/linked-signal.js';

describe('linkSignals', () => {
  it('aborts with the reason of whichever source aborts first, once', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals(a.signal, undefined, b.signal);
    expect(linked.signal.aborted).toBe(false);
    b.abort('b went first');
    a.abort('a after');
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('b went first');
  });

  it('is aborted at once when a source already is', () => {
    const a = new AbortController();
    a.abort(new Error('gone'));
    const linked = linkSignals(new AbortController().signal, a.signal);
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe('gone');
  });

  it('leaves no listener on a long-lived source after dispose(), or after it aborted', () => {
    const run = new AbortController();
    for (let i = 0; i < 100; i++) linkSignals(run.signal).dispose();
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
    const other = new AbortController();
    linkSignals(run.signal, other.signal);
    other.abort();
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
    // After dispose the link no longer follows its sources.
    const linked = linkSignals(run.signal);
    linked.dispose();
    run.abort();
    expect(linked.signal.aborted).toBe(false);
  });
});
