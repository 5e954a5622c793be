// The program built from the command table (src/cli.ts, src/cli/*): a command's exit code is what runProgram
// returns (never passed through process.exitCode), and no command module is part of the program's static import
// graph, so `--help`, `--version` and a usage error load none of them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProgram } from '../../../src/cli.js';
import type { Io } from '../../../src/io.js';
import { onShutdown } from '../../../src/lifecycle.js';
import { ROOT } from '../../helpers/config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcpsh-cli-'));
});
afterEach(async () => {
  await onShutdown();
  rmSync(dir, { recursive: true, force: true });
});

function testIo(cwd: string): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const home = join(cwd, '.mcpsh-home');
  const env = {
    MCPSH_TRUST: '1',
    MCPSH_CONFIG_DIR: join(home, 'config'),
    MCPSH_STATE_DIR: join(home, 'state'),
    MCPSH_DATA_DIR: join(home, 'data'),
    MCPSH_CACHE_DIR: join(home, 'cache'),
    PATH: process.env.PATH,
  };
  const stdin = new PassThrough();
  stdin.end();
  return { stdout, stderr, stdin, env, cwd, signal: new AbortController().signal, out: () => out, err: () => err };
}

describe('runProgram', () => {
  it("returns the command's exit code and leaves process.exitCode alone", async () => {
    // A server that exits at once: `tools` reports it failed and returns 4 (not a thrown error).
    writeFileSync(
      join(dir, 'mcp.config.json'),
      JSON.stringify({ mcpServers: { gone: { command: process.execPath, args: ['-e', 'process.exit(1)'] } } }),
    );
    const io = testIo(dir);
    const before = process.exitCode;
    expect(await runProgram(['tools', '--json'], io)).toBe(4);
    expect(process.exitCode).toBe(before);
    expect(JSON.parse(io.out())).toMatchObject({ failed: [{ server: 'gone', error: 'server process exited with code 1' }] });
  });

  it('returns 0 for a command that succeeds, with its arguments and options passed through', async () => {
    const io = testIo(dir);
    expect(await runProgram(['init', 'starter.json'], io)).toBe(0);
    expect(io.out()).toContain(`wrote ${join(dir, 'starter.json')}`);
    expect(await runProgram(['init', 'starter.json'], io).catch((err: unknown) => err)).toMatchObject({ code: 'USAGE' });
    expect(await runProgram(['init', 'starter.json', '--force'], io)).toBe(0);
  });

  it("lets commander's help and usage errors through to main.ts (which turns them into 0 and 2)", async () => {
    const io = testIo(dir);
    await expect(runProgram(['--help'], io)).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
    expect(io.out()).toContain('Usage: mcpsh [options] [command]');
    await expect(runProgram(['ask', '--max-turns', '0'], io)).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });
});

/** The files `file` imports at run time, statically: `import type` and `import()` are left out. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^;']*?\s+from\s+)?'([^']+)';/gm)].map((m) => m[1] ?? '');
  return specifiers.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

describe('the program loads no command module until a command runs', () => {
  it('nothing under src/commands or src/servers is in the static import graph of src/cli.ts', () => {
    const seen = new Set<string>();
    const queue = [join(ROOT, 'src/cli.ts')];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      queue.push(...staticImports(file));
    }
    const files = [...seen].map((f) => relative(ROOT, f));
    expect(files).toContain('src/cli/commands-table.ts');
    expect(files.filter((f) => f.startsWith('src/commands/') || f.startsWith('src/servers/') || f.startsWith('src/ui/'))).toEqual([]);
  });
});
