// No child process outlives the CLI: not through a shell wrapper, not through npx, not on SIGINT/SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { isAlive, waitFor } from '../helpers/processes.js';

/** Pids of live processes whose command line mentions `marker`. */
function processesMentioning(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** A project whose `wrapped` server runs sh -> node -> node; `second` is another server beside it. */
function wrapperProject(second: object): { cwd: string; pidFile: string } {
  const pidDir = mkdtempSync(join(tmpdir(), 'mcpsh-orphan-'));
  const pidFile = join(pidDir, 'grandchild.pid');
  const cwd = projectWithConfig({
    mcpServers: { wrapped: { command: 'sh', args: [fixturePath('wrapper.sh'), pidFile] }, second },
  });
  return { cwd, pidFile };
}

describe('no orphans', () => {
  it('after `tools`, the grandchild started through a shell wrapper is gone', async () => {
    const { cwd, pidFile } = wrapperProject({ command: process.execPath, args: [fixturePath('basic.mjs')] });
    const r = await runCli(['tools'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrapped__echo');
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    expect(grandchild).toBeGreaterThan(0);
    await waitFor(() => !isAlive(grandchild), { timeoutMs: 3000 });
    expect(isAlive(grandchild)).toBe(false);
  });

  it('after `doctor`, a server started through npx is gone', async () => {
    const marker = mkdtempSync(join(tmpdir(), 'mcpsh-npx-marker-'));
    const cwd = projectWithConfig({
      mcpServers: { files: { command: 'npx', args: ['--offline', 'mcp-server-filesystem', marker], cwd: process.cwd() } },
    });
    const r = await runCli(['doctor'], { cwd, timeoutMs: 30_000 });
    expect(r.stdout).toMatch(/✓\s+files/);
    expect(r.code).toBe(0);
    await waitFor(() => processesMentioning(marker).length === 0, { timeoutMs: 3000 });
    expect(processesMentioning(marker)).toEqual([]);
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} during a call ends every server, then exits ${code}`, async () => {
      // The second server never answers, so the command is surely still running when the signal comes.
      const marker = `hang-marker-${signal}-${process.pid}-${Date.now()}`;
      const { cwd, pidFile } = wrapperProject({ command: process.execPath, args: [fixturePath('hang-on-initialize.mjs'), marker], connectTimeout: 60 });
      const child = spawn(process.execPath, [BIN, 'doctor'], {
        cwd,
        env: { ...process.env, ...isolatedEnv(cwd) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
      const hangPids = (): number[] => processesMentioning(marker);
      await waitFor(
        () => {
          try {
            return readFileSync(pidFile, 'utf8').trim() !== '';
          } catch {
            return false;
          }
        },
        { timeoutMs: 10_000 },
      );
      const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
      child.kill(signal);
      const exitCode = await exited;
      expect(exitCode).toBe(code);
      await waitFor(() => !isAlive(grandchild) && hangPids().length === 0, { timeoutMs: 3000 });
      expect(isAlive(grandchild)).toBe(false);
      expect(hangPids()).toEqual([]);
    });
  }
});
