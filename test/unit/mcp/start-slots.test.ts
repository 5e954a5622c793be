// The start queue for stdio servers: a bound, FIFO hand-over, abandoned waits, remote servers never wait.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultStartLimit, StartSlots, startSlotFor } from '../../../src/mcp/start-slots.js';

describe('StartSlots', () => {
  it('never holds more than its limit, and hands slots on in order', async () => {
    const slots = new StartSlots(2);
    const order: number[] = [];
    let active = 0;
    let most = 0;
    let opened = 0;
    const gates: Array<() => void> = [];
    const run = async (i: number): Promise<void> => {
      const release = await slots.acquire();
      order.push(i);
      active++;
      most = Math.max(most, active);
      opened++;
      await new Promise<void>((resolve) => gates.push(resolve));
      active--;
      release();
      release(); // twice is harmless
    };
    const all = Promise.all([0, 1, 2, 3, 4].map(run));
    // Let each holder finish in turn: the next one may start only when a slot is handed on.
    while (opened < 5 || gates.length > 0) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await all;
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('an aborted wait gives up its place and rejects', async () => {
    const slots = new StartSlots(1);
    const first = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    const behind = slots.acquire();
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    first();
    const next = await behind;
    next();
  });

  it('a remote server never waits for a slot', async () => {
    const env = { MCPSH_MAX_STARTING_SERVERS: '1' };
    const held = await startSlotFor('stdio', env);
    const remote = await startSlotFor('http', env);
    remote();
    held();
  });

  it('the limit: the environment, or four times the CPUs and at least 32', () => {
    expect(defaultStartLimit({ MCPSH_MAX_STARTING_SERVERS: '3' })).toBe(3);
    expect(defaultStartLimit({ MCPSH_MAX_STARTING_SERVERS: 'lots' })).toBe(Math.max(32, availableParallelism() * 4));
  });
});
