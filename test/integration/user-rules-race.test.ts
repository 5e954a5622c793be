// "Always allow" from two mcpsh processes at the same moment: both rules land, and the user's deny rule and
// comments survive every round. A full disk leaves the config as it was and says so.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/config.js';
import { CAN_MOUNT_TMPFS, fillDisk, mountTmpfs } from '../helpers/tmpfs.js';
import { scaled } from '../helpers/time.js';

const RULES = join(ROOT, 'dist/config/user-rules.js');
if (!existsSync(RULES)) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json`');
type RulesModule = typeof import('../../src/config/user-rules.js');
const { addUserAllowRule } = (await import(pathToFileURL(RULES).href)) as RulesModule;

const ORIGINAL = `{
  // my servers, by hand
  "mcpServers": { "db": { "command": "db-server" } },
  "permissions": {
    /* never, ever */
    "deny": ["db__drop_table"],
    "allow": ["db__list"]
  }
}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcpsh-rules-race-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A child that has loaded the module and waits for "go" on stdin, so two of them write at the same instant. */
function armed(configDir: string, tool: string): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; done: Promise<string> } {
  const code = `
    import { addUserAllowRule } from ${JSON.stringify(pathToFileURL(RULES).href)};
    process.stdout.write('ready\\n');
    process.stdin.once('data', () => { addUserAllowRule(${JSON.stringify(tool)}, { MCPSH_CONFIG_DIR: ${JSON.stringify(configDir)} }); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code]);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const done = new Promise<string>((resolve) => child.once('close', (exit) => resolve(`${exit} ${stderr}`)));
  return { child, ready, done };
}

describe('always allow from concurrent processes', () => {
  it(
    'keeps both rules, the deny rule and the comments in every one of 20 rounds',
    async () => {
      for (let round = 0; round < 20; round++) {
        const configDir = join(dir, `round-${round}`);
        const file = join(configDir, 'config.json');
        rmSync(configDir, { recursive: true, force: true });
        mkdirSync(configDir);
        writeFileSync(file, ORIGINAL);
        const a = armed(configDir, 'db__query');
        const b = armed(configDir, 'db__insert');
        await Promise.all([a.ready, b.ready]);
        a.child.stdin.write('go\n');
        b.child.stdin.write('go\n');
        expect(await Promise.all([a.done, b.done])).toEqual(['0 ', '0 ']);
        const text = readFileSync(file, 'utf8');
        expect(text).toContain('// my servers, by hand');
        expect(text).toContain('/* never, ever */');
        const config = parse(text) as { permissions: { deny: string[]; allow: string[] } };
        expect(config.permissions.deny).toEqual(['db__drop_table']);
        expect([...config.permissions.allow].sort()).toEqual(['db__insert', 'db__list', 'db__query']);
        expect(readdirSync(configDir)).toEqual(['config.json']);
      }
    },
    scaled(120_000),
  );

  it('refuses to edit a config that does not parse, and leaves it as it was', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, '{ "permissions": { "deny": ["x"] ');
    expect(() => addUserAllowRule('db__query', { MCPSH_CONFIG_DIR: dir })).toThrow(/config\.json was not changed: it is not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{ "permissions": { "deny": ["x"] ');
  });
});

describe.skipIf(!CAN_MOUNT_TMPFS)('always allow on a full disk (tmpfs)', () => {
  it('leaves the config intact and says the disk is full', () => {
    const fs = mountTmpfs(64);
    try {
      const file = join(fs.dir, 'config.json');
      // Big enough that its rewrite needs blocks the full disk does not have.
      const original = ORIGINAL.replace('"db__list"', `"db__list", ${Array.from({ length: 400 }, (_, i) => `"t__tool_${i}"`).join(', ')}`);
      writeFileSync(file, original);
      fillDisk(fs.dir);
      expect(() => addUserAllowRule('db__query', { MCPSH_CONFIG_DIR: fs.dir })).toThrow(
        /config\.json was not changed: the disk is full \(ENOSPC\)/,
      );
      expect(readFileSync(file, 'utf8')).toBe(original);
      expect(readdirSync(fs.dir).filter((n) => n.startsWith('config') || n.startsWith('.config'))).toEqual(['config.json']);
    } finally {
      fs.unmount();
    }
  });
});
