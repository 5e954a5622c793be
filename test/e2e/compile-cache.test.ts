// The code cache of the bundle (src/bundle-loader.ts): one file per command, written after that command's
// first successful run and then read, never rewritten while V8 accepts it; a damaged or foreign file, old builds,
// a folder that cannot be written, or MCPSH_NO_COMPILE_CACHE=1 change nothing a person sees.
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectWithConfig, runCli, type CliResult } from '../helpers/cli.js';
import { ROOT } from '../helpers/config.js';

const SERVER = join(ROOT, 'test/fixtures/servers/basic.mjs');

function project(): { cwd: string; v8: string } {
  const cwd = projectWithConfig({ mcpServers: { basic: { command: process.execPath, args: [SERVER] } } });
  return { cwd, v8: join(cwd, '.mcpsh-home', 'cache', 'v8') };
}

/** The one build folder under v8/ (named by the bundle's hash, the Node version and the CPU). */
function buildDir(v8: string): string {
  const mine = readdirSync(v8).filter((d) => d.endsWith(`-${process.version}-${process.arch}`) && !d.startsWith('0000'));
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatch(new RegExp(`^[0-9a-f]{16}-${process.version.replaceAll('.', '\\.')}-${process.arch}$`));
  return join(v8, mine[0]!);
}

/** Identity of a file: a rewrite renames a new file over it, so the inode changes. */
const identity = (file: string): string => {
  const s = statSync(file);
  return `${s.ino}:${s.mtimeMs}:${s.size}`;
};

const echoed = (r: CliResult): void => {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ content: [{ type: 'text', text: 'cached' }] });
};
const call = (cwd: string, env: Record<string, string> = {}): Promise<CliResult> =>
  runCli(['call', '--json', 'basic', 'echo', '{"message":"cached"}'], { cwd, env });

describe('the code cache', () => {
  it('is written by the first successful run of a command, private, and read (not rewritten) by the next runs', async () => {
    const { cwd, v8 } = project();
    echoed(await call(cwd));
    const dir = buildDir(v8);
    expect(readdirSync(dir)).toEqual(['call.bin']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'call.bin')).mode & 0o777).toBe(0o600);
    const first = identity(join(dir, 'call.bin'));
    // What `call` ran is in its cache; the chat's React, Ink and highlighter are in the bundle but never
    // evaluated for it, so none of their inner functions were compiled (names V8 keeps with the bytecode).
    const bytecode = readFileSync(join(dir, 'call.bin'), 'latin1');
    expect(bytecode).toContain('_parseCommand');
    for (const never of ['performWorkOnRoot', 'reconcileChildFibers', 'highlightAuto', 'calculateLayout'])
      expect(bytecode).not.toContain(never);
    echoed(await call(cwd));
    echoed(await call(cwd));
    expect(identity(join(dir, 'call.bin'))).toBe(first);

    // Another command has a file of its own; the first one is left as it was.
    const tools = await runCli(['tools', '--json'], { cwd });
    expect(tools.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['call.bin', 'tools.bin']);
    expect(identity(join(dir, 'call.bin'))).toBe(first);
  });

  it('is not written by a run that failed, printed help or met a usage error', async () => {
    const { cwd, v8 } = project();
    const failed = await runCli(['call', 'basic', 'no_such_tool', '{}'], { cwd });
    expect(failed.code).not.toBe(0);
    expect((await runCli(['--help'], { cwd })).code).toBe(0);
    expect((await runCli(['tools', '--no-such-flag'], { cwd })).code).toBe(2);
    expect((await runCli(['frobnicate'], { cwd })).code).toBe(2);
    expect(existsSync(v8)).toBe(false);
  });

  it('replaces a damaged file, keeps the two newest other builds and removes older ones, with the same output', async () => {
    const { cwd, v8 } = project();
    echoed(await call(cwd));
    const dir = buildDir(v8);
    const file = join(dir, 'call.bin');
    writeFileSync(file, Buffer.alloc(4096, 0xab), { mode: 0o600 });
    const damaged = identity(file);
    // Other builds, written 1, 2 and 3 days ago: a second mcpsh version in use keeps its cache.
    const others = [1, 2, 3].map((days) => {
      const other = join(v8, `000000000000000${days}-v18.0.0-x64`);
      mkdirSync(other);
      writeFileSync(join(other, 'call.bin'), 'old');
      const when = new Date(Date.now() - days * 86_400_000);
      utimesSync(other, when, when);
      return other.slice(v8.length + 1);
    });

    echoed(await call(cwd));
    expect(identity(file)).not.toBe(damaged);
    expect(statSync(file).size).toBeGreaterThan(100_000);
    expect(readdirSync(v8).sort()).toEqual([dir.slice(v8.length + 1), others[0], others[1]].sort());
    const rewritten = identity(file);
    echoed(await call(cwd));
    expect(identity(file)).toBe(rewritten);
  });

  it.runIf(process.getuid?.() === 0)('ignores a file another user owns, and replaces it with its own', async () => {
    const { cwd, v8 } = project();
    echoed(await call(cwd));
    const file = join(buildDir(v8), 'call.bin');
    chownSync(file, 65534, 65534);
    echoed(await call(cwd));
    expect(statSync(file).uid).toBe(0);
  });

  it('costs nothing but speed when its folder cannot be made, and MCPSH_NO_COMPILE_CACHE=1 turns it off', async () => {
    const { cwd, v8 } = project();
    // A file where the folder would be: every mkdir under it fails (ENOTDIR), even for root.
    mkdirSync(join(v8, '..'), { recursive: true });
    writeFileSync(v8, 'not a folder');
    echoed(await call(cwd));
    echoed(await call(cwd));
    expect(statSync(v8).isFile()).toBe(true);

    const off = project();
    echoed(await call(off.cwd, { MCPSH_NO_COMPILE_CACHE: '1' }));
    expect(existsSync(off.v8)).toBe(false);
  });
});
