// Each mechanism that ends a server's process tree, on its own. They cover for each other in ordinary runs (a
// grandchild is both in the server's process group and among its descendants), so each test here builds the one
// case only its mechanism reaches; breaking that mechanism alone fails its test:
// - the process-group kill: a descendant that outlives its parent (re-parented, no longer found by a walk down);
// - the descendant scan (/proc): a child that left the server's process group for a session of its own;
// - the exit hook: mcpsh leaving through process.exit (a second signal) with the server still running and the
//   kill guard, the backstop for a SIGKILLed mcpsh, out of the way.
// The kill guard has its own tests in no-orphans.test.ts (mcpsh SIGKILLed mid-call, its whole group SIGKILLed).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { descendants, isAlive, processesMentioning, waitFor } from '../helpers/processes.js';
import { scaled } from '../helpers/time.js';

/** Every pid a test learned; whatever is still alive after it is killed, so a failing test leaves nothing behind. */
const learned: number[] = [];

afterEach(() => {
  for (const pid of learned.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

/** A project with one stdio server running `fixture`, which writes a pid to the returned pidFile. */
function project(fixture: string, extraArgs: string[] = []): { cwd: string; pidFile: string } {
  const pidFile = join(mkdtempSync(join(tmpdir(), 'mcpsh-ending-')), 'pid');
  const cwd = projectWithConfig({
    mcpServers: { srv: { command: process.execPath, args: [fixturePath(fixture), pidFile, ...extraArgs] } },
  });
  return { cwd, pidFile };
}

function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function waitForPid(pidFile: string, what: string): Promise<number> {
  let pid: number | undefined;
  await waitFor(() => (pid = readPid(pidFile)) !== undefined, { timeoutMs: 15_000, what });
  if (pid === undefined) throw new Error(`no pid in ${pidFile}`);
  learned.push(pid);
  return pid;
}

/** The process group of pid, from /proc (field 5 of stat, after the command name in parentheses). */
function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]);
  } catch {
    return undefined;
  }
}

/** The kill guard watching mcpsh `pid` (its argv is: sh -c SCRIPT mcpsh-kill-guard PID). */
function guardsOf(pid: number): number[] {
  return processesMentioning(`\0mcpsh-kill-guard\0${pid}\0`);
}

/** Starts `fixture` as mcpsh does (leading its own process group) and returns its pid and the pid it wrote. */
async function startFixture(fixture: string): Promise<{ server: number; written: number }> {
  const pidFile = join(mkdtempSync(join(tmpdir(), 'mcpsh-ending-')), 'pid');
  const child = spawn(process.execPath, [fixturePath(fixture), pidFile], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  const server = child.pid ?? 0;
  learned.push(server);
  const written = await waitForPid(pidFile, `${fixture} wrote a pid`);
  return { server, written };
}

describe('the fixtures build the cases they claim', () => {
  it('outlives-parent.mjs: the grandchild is in the server’s process group but no longer its descendant', async () => {
    const { server, written } = await startFixture('outlives-parent.mjs');
    expect(isAlive(written)).toBe(true);
    expect(processGroupOf(written)).toBe(server);
    expect(descendants(server)).not.toContain(written);
  });

  it('escapes-group.mjs: the child is the server’s descendant but leads a process group of its own', async () => {
    const { server, written } = await startFixture('escapes-group.mjs');
    expect(isAlive(written)).toBe(true);
    expect(processGroupOf(written)).toBe(written);
    expect(descendants(server)).toContain(written);
  });
});

describe('each process-ending mechanism on its own', () => {
  it('the process-group kill ends a descendant whose parent exited first (the descendant scan cannot find it)', async () => {
    const { cwd, pidFile } = project('outlives-parent.mjs');
    const r = await runCli(['tools'], { cwd });
    const orphan = readPid(pidFile);
    if (orphan !== undefined) learned.push(orphan);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('srv__echo');
    expect(r.code).toBe(0);
    expect(orphan).toBeGreaterThan(0);
    await waitFor(() => !isAlive(orphan ?? 0), { timeoutMs: 5000, what: 'the re-parented grandchild ended with its process group' });
  });

  it('the descendant scan ends a child that left the server’s process group (a group kill cannot reach it)', async () => {
    const { cwd, pidFile } = project('escapes-group.mjs');
    // `call`: the server is surely up (and its child started) before mcpsh closes it.
    const r = await runCli(['call', 'srv', 'echo', '{"message":"hi"}'], { cwd });
    const escaped = readPid(pidFile);
    if (escaped !== undefined) learned.push(escaped);
    expect(r.stdout).toBe('hi\n');
    expect(r.code).toBe(0);
    expect(escaped).toBeGreaterThan(0);
    await waitFor(() => !isAlive(escaped ?? 0), { timeoutMs: 5000, what: 'the child in a process group of its own ended' });
  });

  it(
    'the exit hook ends a server still running when mcpsh leaves through process.exit (a second signal)',
    async () => {
      // The server ignores stdin EOF, SIGTERM and SIGINT, and `hang` never answers: mcpsh is surely mid-call.
      const { cwd, pidFile } = project('ignores-stdin-eof.mjs');
      const child = spawn(process.execPath, [BIN, 'call', 'srv', 'hang'], {
        cwd,
        env: { ...process.env, ...isolatedEnv(cwd) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      const mcpsh = child.pid ?? 0;
      learned.push(mcpsh);
      const server = await waitForPid(pidFile, 'the server wrote its pid');
      // The server leads its own group, so nothing but a kill of mcpsh's servers ends it.
      expect(processGroupOf(server)).toBe(server);
      // The guard would end the server after mcpsh is gone; with it out of the way only the exit hook can.
      const guards = guardsOf(mcpsh);
      expect(guards).toHaveLength(1);
      learned.push(...guards);
      for (const guard of guards) process.kill(guard, 'SIGKILL');
      await waitFor(() => guards.every((g) => !isAlive(g)), { what: 'the kill guard ended' });
      // Two different signals (two of one kind may merge into one): the first starts the orderly shutdown, the second
      // means "now" and calls process.exit at once, long before the shutdown's own SIGTERM/SIGKILL to the server.
      child.kill('SIGTERM');
      child.kill('SIGINT');
      expect([130, 143]).toContain(await exited);
      await waitFor(() => !isAlive(server), { timeoutMs: 5000, what: 'the server ended with mcpsh' });
    },
    scaled(40_000),
  );
});
