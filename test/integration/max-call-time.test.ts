// callTimeout vs maxCallTime over real stdio: progress resets the call timeout (for every call, watched
// or not), and a call that keeps reporting progress is still cancelled once it passes maxCallTime.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { nodeServer } from '../helpers/config.js';
import { connectionPool } from '../helpers/connections.js';
import { fixturePath } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/processes.js';

const pool = connectionPool('mcpsh-maxtime-');
const { logDir, connected } = pool;

afterEach(() => pool.closeAll());

describe('maxCallTime', () => {
  it('a call that reports progress forever ends with TIMEOUT at maxCallTime, and the server is told to cancel', async () => {
    const c = await connected(nodeServer('ticker', fixturePath('max-call-time.mjs'), [], { callTimeoutMs: 1000, maxCallTimeMs: 2000 }));
    let progress = 0;
    const err: unknown = await c.callTool('forever', {}, { onProgress: () => progress++ }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    const error = err as AppError;
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe('ticker › forever exceeded maxCallTime (2s) despite reporting progress, so it was cancelled');
    expect(error.hint).toBe(
      'raise maxCallTime (seconds, the most one call may take in total) for server ticker in the config; callTimeout only bounds the silence between progress reports',
    );
    // It ran past its 1 s callTimeout because progress kept resetting it.
    expect(progress).toBeGreaterThan(10);
    const log = join(logDir, 'ticker.log');
    await waitFor(
      () => /forever: cancelled after \d+ progress steps \(Error: exceeded maxCallTime \(2s\)\)/.test(readFileSync(log, 'utf8')),
      {
        timeoutMs: 3000,
        what: 'the server saw notifications/cancelled',
      },
    );
    // The server is still usable, and the breaker counted a failure rather than a cancellation.
    expect(c.state).toBe('ready');
    expect(c.metrics.lastError).toBe(error.message);
  });

  it('a call with progress that ends past callTimeout but within maxCallTime succeeds, even when nobody watches progress', async () => {
    const c = await connected(nodeServer('ticker', fixturePath('max-call-time.mjs'), [], { callTimeoutMs: 500, maxCallTimeMs: 5000 }));
    // No onProgress: the progress token is sent anyway, so progress still resets the 0.5 s timeout.
    const result = await c.callTool('steady', { ms: 1500 });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: expect.stringMatching(/^done after \d+ steps$/) }]);
  });

  it('a silent call still times out at callTimeout with the plain message', async () => {
    const c = await connected(nodeServer('ticker', fixturePath('max-call-time.mjs'), [], { callTimeoutMs: 300, maxCallTimeMs: 5000 }));
    const err: unknown = await c.callTool('steady', { ms: 3000, intervalMs: 2000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe('ticker › steady did not answer within 0.3s');
  });
});
