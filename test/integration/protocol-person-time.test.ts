// maxCallTime bounds the tool, not the person: on a 2026-07-28 server the dual-era fixture's `confirm` tool asks
// for confirmation through an input_required round, and a person who takes longer than the whole maxCallTime to
// answer still gets the call through; the call's bound runs again once the answer has gone back.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientPorts } from '../../src/mcp/client-requests.js';
import { ServerConnection } from '../../src/mcp/connection.js';
import { nodeServer } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';
import { connectionPool } from '../helpers/connections.js';
import { join } from 'node:path';

const pool = connectionPool('mcpsh-person-time-');
afterEach(() => pool.closeAll());

/** An elicitation port that answers like a slow person: after `ms`, accepting with the schema's values. */
function slowPerson(ms: number, seen: string[]): ClientPorts {
  return {
    elicit: async (request) => {
      seen.push(request.message);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { action: 'accept', content: { confirm: true, note: 'took my time' } };
    },
  };
}

describe('maxCallTime while a person answers (modern input_required rounds)', () => {
  it('the time in the dialog does not count: a 2.5 s answer gets through a 1 s maxCallTime', async () => {
    const seen: string[] = [];
    const ports = slowPerson(2500, seen);
    const config = nodeServer('dual', fixturePath('dual-era.mjs'), [], {
      protocolVersion: 'modern',
      callTimeoutMs: 1000,
      maxCallTimeMs: 1000,
    });
    const c = new ServerConnection(config, {
      env: process.env,
      stderrLogPath: join(pool.logDir, 'dual.log'),
      clientInfo: { name: 'mcpsh-test', version: '0' },
      clientPorts: () => ports,
    });
    pool.track(c);
    await c.connect();
    expect(c.state).toBe('ready');
    expect(c.era).toBe('modern');
    const result = await c.callTool('confirm', {});
    expect(seen).toEqual(['Proceed with the fixture action?']);
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([
      { type: 'text', text: JSON.stringify({ action: 'accept', content: { confirm: true, note: 'took my time' } }) },
    ]);
  });
});
