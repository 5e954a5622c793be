// Every `--help` names the docs by a path that exists wherever mcpsh is installed: an absolute path into
// the package's own docs/ (which ships in the tarball), never a repo-relative `docs/…` that only a clone has.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { scaled } from '../helpers/time.js';

const cwd = mkdtempSync(join(tmpdir(), 'mcpsh-help-'));

async function help(path: string[]): Promise<string> {
  const r = await runCli([...path, '--help'], { cwd });
  expect(r.code, `mcpsh ${path.join(' ')} --help: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** The subcommand names a help text lists under "Commands:" (aliases and `help` left out). */
function subcommands(text: string): string[] {
  const section = /\nCommands:\n([\s\S]*?)(?:\n\n|$)/.exec(text)?.[1] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
}

describe('--help links', () => {
  it(
    'point at docs that exist, by absolute path, in every command and subcommand',
    async () => {
      const seen: { command: string; ref: string }[] = [];
      const queue: string[][] = [[]];
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        const text = await help(path);
        for (const m of text.matchAll(/(\S*)docs\/([\w/.-]*?\.md)/g)) seen.push({ command: path.join(' '), ref: m[0] });
        for (const sub of subcommands(text)) queue.push([...path, sub]);
      }
      // The walk reached the commands that name docs (a broken walker would find none and pass vacuously).
      expect(seen.map((s) => s.command)).toEqual(expect.arrayContaining(['', 'ask', 'tools', 'serve sqlite', 'serve crm', 'auth']));
      const broken = seen.filter((s) => !isAbsolute(s.ref) || !existsSync(s.ref));
      expect(broken).toEqual([]);
    },
    scaled(120_000),
  );
});
