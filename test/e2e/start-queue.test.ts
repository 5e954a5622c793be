// Many stdio servers start a few at a time, through the built CLI: the start-probe fixture records how
// many are starting at once (through a shared directory), and each server's connectTimeout only starts
// when its own spawn does, so a long queue does not eat it.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { scaled } from '../helpers/time.js';

const node = process.execPath;

function probes(count: number, marks: string, delayMs: number, connectTimeout: number): Record<string, unknown> {
  const servers: Record<string, unknown> = {};
  for (let i = 0; i < count; i++)
    servers[`p${i}`] = { command: node, args: [fixturePath('start-probe.mjs'), marks, String(delayMs)], connectTimeout };
  return servers;
}

/** The most servers any one of them saw starting at once (itself included). */
function mostAtOnce(marks: string): number {
  const seen = readdirSync(marks).filter((f) => f.endsWith('.seen'));
  return Math.max(...seen.map((f) => Number(readFileSync(join(marks, f), 'utf8'))));
}

describe('starting many stdio servers', () => {
  it(
    '60 servers: at most MCPSH_MAX_STARTING_SERVERS start at once, and every one connects',
    async () => {
      const marks = mkdtempSync(join(tmpdir(), 'mcpsh-marks-'));
      // 60 servers, 4 at a time, each holding its initialize answer 400 ms: the last one waits at least
      // 14 rounds x 400 ms = 5.6 s in the queue, longer than its 3 s connectTimeout. It still connects,
      // because its clock starts at its own spawn; alone it needs a fraction of that.
      const cwd = projectWithConfig({ mcpServers: probes(60, marks, 400, 3) });
      const r = await runCli(['tools', '--json'], { cwd, env: { MCPSH_MAX_STARTING_SERVERS: '4' }, timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as { tools: unknown[]; failed: unknown[] };
      expect(json.failed).toEqual([]);
      expect(json.tools).toHaveLength(60);
      expect(readdirSync(marks).filter((f) => f.endsWith('.seen'))).toHaveLength(60);
      expect(mostAtOnce(marks)).toBeLessThanOrEqual(4);
    },
    scaled(150_000),
  );

  it(
    'a server that fails to start hands its slot on',
    async () => {
      const marks = mkdtempSync(join(tmpdir(), 'mcpsh-marks-'));
      // One slot: a server that crashes at start must hand it on, or the probes behind it would never start.
      const servers = { crash: { command: node, args: [fixturePath('crash-at-start.mjs')] }, ...probes(5, marks, 0, 30) };
      const cwd = projectWithConfig({ mcpServers: servers });
      const r = await runCli(['tools', '--json'], { cwd, env: { MCPSH_MAX_STARTING_SERVERS: '1' }, timeoutMs: 60_000 });
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as { tools: unknown[]; failed: Array<{ server: string }> };
      expect(json.failed.map((f) => f.server)).toEqual(['crash']);
      expect(json.tools).toHaveLength(5);
      expect(mostAtOnce(marks)).toBe(1);
    },
    scaled(90_000),
  );
});
