// Issue 15 item 7: roots never replace or widen a server's configured access. The reference filesystem
// server replaces its argv directories with the client's roots; started from another directory it must
// still serve exactly its configured directory, and the working directory must stay unreadable.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FILESYSTEM } from '../helpers/config.js';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

function dirs(config: (a: string) => unknown): { a: string; b: string } {
  const a = mkdtempSync(join(tmpdir(), 'mcpsh-roots-a-'));
  const b = mkdtempSync(join(tmpdir(), 'mcpsh-roots-b-'));
  mkdirSync(join(a, 'data'));
  writeFileSync(join(a, 'data', 'inside.txt'), 'configured');
  writeFileSync(join(a, 'outside.txt'), 'project, not configured');
  writeFileSync(join(b, 'secret.txt'), 'the working directory');
  writeFileSync(join(a, 'mcp.config.json'), JSON.stringify(config(a)));
  return { a, b };
}

const call = (cwd: string, a: string, tool: string, args: unknown) =>
  runCli(['-c', join(a, 'mcp.config.json'), 'call', 'files', tool, JSON.stringify(args)], { cwd, timeoutMs: 60_000 });

describe('roots and the reference filesystem server', () => {
  for (const roots of [undefined, false] as const) {
    it(`serves its configured directory, not the working directory (roots: ${String(roots)})`, async () => {
      const { a, b } = dirs((dir) => ({
        ...(roots === false ? { roots } : {}),
        mcpServers: { files: { command: process.execPath, args: [FILESYSTEM, join(dir, 'data')] } },
      }));
      const listed = await call(b, a, 'list_directory', { path: join(a, 'data') });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('inside.txt');
      const secret = await call(b, a, 'read_text_file', { path: join(b, 'secret.txt') });
      expect(secret.stdout + secret.stderr).not.toContain('the working directory');
      expect(secret.stdout + secret.stderr).toMatch(/denied|outside allowed/i);
      // Not widened to the project directory either.
      const outside = await call(b, a, 'read_text_file', { path: join(a, 'outside.txt') });
      expect(outside.stdout + outside.stderr).not.toContain('project, not configured');
    });
  }

  it('a server that names no directory is offered the project directory, never the working directory', async () => {
    const { a, b } = dirs(() => ({ mcpServers: { files: { command: process.execPath, args: [fixturePath('paged-resources.mjs')] } } }));
    const r = await runCli(['-c', join(a, 'mcp.config.json'), 'call', 'files', 'roots', '{}'], { cwd: b, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(pathToFileURL(a).href);
    expect(r.stdout).not.toContain(pathToFileURL(b).href);
  });
});
