// A reader that stops reading early (`mcpsh tools --json | head`) must not crash mcpsh: it ends quietly, with
// no stack trace, and its servers end with it.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, isolatedEnv } from '../helpers/cli.js';
import { scaled } from '../helpers/time.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'servers', 'many-tools.mjs');

describe('stdout closed by its reader', () => {
  it('mcpsh tools --json with its reader gone after the first bytes: exit 0, no EPIPE on stderr', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpsh-pipe-'));
    // 2,000 tools of JSON is far more than a pipe holds, so mcpsh is still writing when the reader leaves.
    writeFileSync(
      join(cwd, 'mcp.config.json'),
      JSON.stringify({ mcpServers: { many: { command: process.execPath, args: [fixture, '2000'] } } }),
    );
    const child = spawn(process.execPath, [BIN, 'tools', '--json'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...isolatedEnv(cwd), MCPSH_TRUST: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mcpsh did not end; stderr: ${stderr}`)), scaled(60_000));
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
    expect(code).toBe(0);
  });
});
