// No child process outlives the CLI: not through a shell wrapper, not through npx, not on SIGINT/SIGTERM, and
// not when mcpsh itself is SIGKILLed (the kill guard ends a server that ignores stdin EOF and SIGTERM).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { isAlive, processesMentioning, waitFor } from '../helpers/processes.js';
import { spawnCliInPty } from '../helpers/pty.js';
import { scaled } from '../helpers/time.js';

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
      const { cwd, pidFile } = wrapperProject({
        command: process.execPath,
        args: [fixturePath('hang-on-initialize.mjs'), marker],
        connectTimeout: 60,
      });
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

  describe('when mcpsh is killed with SIGKILL', () => {
    // If the guard fails, the test fails, but it must not leave the server behind.
    const started: number[] = [];
    afterEach(() => {
      for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    });

    /** A project whose one server ignores stdin EOF and SIGTERM; it writes its pid to pidFile once up. */
    function stubbornProject(): { cwd: string; pidFile: string } {
      const pidFile = join(mkdtempSync(join(tmpdir(), 'mcpsh-stubborn-')), 'server.pid');
      const cwd = projectWithConfig({
        mcpServers: { stubborn: { command: process.execPath, args: [fixturePath('ignores-stdin-eof.mjs'), pidFile] } },
      });
      return { cwd, pidFile };
    }

    async function serverPid(pidFile: string): Promise<number> {
      let pid = 0;
      await waitFor(
        () => {
          try {
            pid = Number(readFileSync(pidFile, 'utf8').trim());
          } catch {
            return false;
          }
          return pid > 0;
        },
        { timeoutMs: 15_000, what: 'the server wrote its pid' },
      );
      started.push(pid);
      return pid;
    }

    /** The kill guard watching mcpsh `pid` (its argv is: sh -c SCRIPT mcpsh-kill-guard PID). */
    const guardOf = (pid: number): number[] => processesMentioning(`\0mcpsh-kill-guard\0${pid}\0`);

    it(
      'mid-call, its stdio server still ends (a server that ignores stdin EOF and SIGTERM)',
      async () => {
        const { cwd, pidFile } = stubbornProject();
        const child = spawn(process.execPath, [BIN, 'call', 'stubborn', 'hang'], {
          cwd,
          env: { ...process.env, ...isolatedEnv(cwd) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('close', (_code, signal) => resolve(signal)));
        const server = await serverPid(pidFile);
        expect(child.pid).toBeGreaterThan(0);
        expect(guardOf(child.pid ?? 0)).toHaveLength(1);
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');
        // The guard sends SIGTERM (ignored here), waits about 2 s, then SIGKILL; a generous bound for a busy machine.
        await waitFor(() => !isAlive(server), { timeoutMs: 20_000, what: 'the server ended after mcpsh was SIGKILLed' });
        await waitFor(() => guardOf(child.pid ?? 0).length === 0, { timeoutMs: 10_000, what: 'the guard exited' });
      },
      scaled(40_000),
    );

    it(
      'in the chat, killing its whole process group still ends the server (the guard is in another group)',
      async () => {
        const { cwd, pidFile } = stubbornProject();
        const env = { ...process.env, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, MCPSH_MODEL: undefined, ...isolatedEnv(cwd) };
        const pty = spawnCliInPty(['--config', join(cwd, 'mcp.config.json')], { cwd, env });
        const server = await serverPid(pidFile);
        await pty.waitForText('tools-only mode');
        expect(guardOf(pty.pid)).toHaveLength(1);
        // The pty child leads its own session and group: this is `kill -9 -PGID` of mcpsh.
        process.kill(-pty.pid, 'SIGKILL');
        await pty.exited;
        await waitFor(() => !isAlive(server), { timeoutMs: 20_000, what: 'the server ended after the chat group was SIGKILLed' });
        await waitFor(() => guardOf(pty.pid).length === 0, { timeoutMs: 10_000, what: 'the guard exited' });
      },
      scaled(40_000),
    );

    it(
      'a normal run leaves no guard behind and its output ends with mcpsh',
      async () => {
        const { cwd } = stubbornProject();
        const r = await runCli(['call', 'stubborn', 'echo', '{"message":"hi"}'], { cwd, timeoutMs: 30_000 });
        expect(r.stdout).toBe('hi\n');
        expect(r.code).toBe(0);
        await waitFor(() => guardOf(r.pid).length === 0, { timeoutMs: 10_000, what: 'the guard exited' });
      },
      scaled(40_000),
    );
  });
});
