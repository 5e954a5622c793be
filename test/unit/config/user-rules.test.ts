import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addUserAllowRule } from '../../../src/config/user-rules.js';
import { loadConfig } from '../../../src/config/load.js';

describe('addUserAllowRule', () => {
  it('creates the user config when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-rules-'));
    const file = addUserAllowRule('db__query', { MCPSH_CONFIG_DIR: dir });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ permissions: { allow: ['db__query'] } });
  });

  it('appends once, keeping comments, and the loader sees the rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-rules-'));
    writeFileSync(
      join(dir, 'config.json'),
      '{\n  // mine\n  "mcpServers": { "db": { "command": "x" } },\n  "permissions": { "allow": ["a__b"] }\n}\n',
    );
    addUserAllowRule('db__query', { MCPSH_CONFIG_DIR: dir });
    addUserAllowRule('db__query', { MCPSH_CONFIG_DIR: dir });
    const text = readFileSync(join(dir, 'config.json'), 'utf8');
    expect(text).toContain('// mine');
    const loaded = await loadConfig({ cwd: dir, env: {}, userConfigDir: dir, stopDir: dir });
    expect(loaded.config.permissions?.allow).toEqual(['a__b', 'db__query']);
  });
});
