// e2e: `mcpsh completion bash|zsh|fish`. The bash script is sourced in `bash -c` with COMP_WORDS/COMP_CWORD set and
// its function called, as bash would on TAB; commands, options, choices, server names from the config and tool
// names from the tool-list cache (filled by one `mcpsh tools`) come back. zsh and fish get a syntax check when installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const has = (shell: string): boolean => spawnSync(shell, ['-c', 'true']).status === 0;

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcpsh-completion-'));
  // `mcpsh` on PATH, as an installed CLI would be: the script calls the word the user typed.
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'mcpsh'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(dir, 'bin', 'mcpsh'), 0o755);
  env = { ...isolatedEnv(dir), PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`, HOME: dir, NO_COLOR: '1' };
  const add = await runCli(['mcp', 'add', 'basic', '--', process.execPath, fixturePath('basic.mjs')], { cwd: dir, env: { HOME: dir } });
  expect(add.code).toBe(0);
  // Fills the on-disk tool-list cache that completion reads (completion itself never starts a server).
  expect((await runCli(['tools'], { cwd: dir, env: { HOME: dir }, timeoutMs: 60_000 })).code).toBe(0);
  writeFileSync(join(dir, 'mcpsh.bash'), (await runCli(['completion', 'bash'], { cwd: dir })).stdout);
}, 90_000);

/** What bash's completion function offers for `words` (the last one being typed). */
function bashComplete(...words: string[]): string[] {
  const script = 'source ./mcpsh.bash; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _mcpsh; printf "%s\\n" "${COMPREPLY[@]}"';
  const out = execFileSync('bash', ['-c', script, 'bash', 'mcpsh', ...words], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
  return out.split('\n').filter((l) => l !== '');
}

describe('mcpsh completion', () => {
  it('bash: commands, subcommands and options come from the program', () => {
    const top = bashComplete('');
    for (const c of ['ask', 'tools', 'call', 'mcp', 'completion', 'doctor']) expect(top).toContain(c);
    expect(top).not.toContain('__complete');
    expect(bashComplete('m')).toEqual(['mcp']);
    expect(bashComplete('mcp', '')).toEqual(['add', 'add-json', 'list', 'get', 'remove', 'enable', 'disable', 'import']);
    const addOpts = bashComplete('mcp', 'add', '--');
    for (const o of ['--transport', '--env', '--header', '--scope', '--force', '--config']) expect(addOpts).toContain(o);
    expect(bashComplete('ask', '--output', '')).toEqual(['text', 'json', 'stream-json']);
    expect(bashComplete('mcp', 'add', 'x', '--scope', 'p')).toEqual(['project']);
    expect(bashComplete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('bash: server names from the config, tool names of that server from the cache', () => {
    expect(bashComplete('call', '')).toEqual(['basic']);
    expect(bashComplete('mcp', 'remove', 'ba')).toEqual(['basic']);
    expect(bashComplete('call', 'basic', 'e')).toEqual(['echo', 'env']);
    expect(bashComplete('call', '--json', 'basic', 'ad')).toEqual(['add']);
    expect(bashComplete('call', 'nosuch', '')).toEqual([]);
  });

  it.runIf(has('zsh'))('zsh: the script parses', async () => {
    const script = (await runCli(['completion', 'zsh'], { cwd: dir })).stdout;
    expect(script).toContain('__complete');
    expect(spawnSync('zsh', ['-n'], { input: script }).status).toBe(0);
  });

  it.runIf(has('fish'))('fish: the script parses and completes tool names', async () => {
    writeFileSync(join(dir, 'mcpsh.fish'), (await runCli(['completion', 'fish'], { cwd: dir })).stdout);
    expect(spawnSync('fish', ['-n', join(dir, 'mcpsh.fish')]).status).toBe(0);
    const out = execFileSync('fish', ['-c', `source ${join(dir, 'mcpsh.fish')}; complete -C "mcpsh call basic e"`], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(out.split('\n').filter(Boolean)).toEqual(['echo', 'env']);
  });
});
