// The managed policy file (src/config/managed-policy.ts) through loadConfig: where it is looked for, what a
// missing, unreadable or invalid file does (no policy / a CONFIG error naming the file: never silently
// ignored), how blocked servers are marked, and how its permission rules outrank every other rule.
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headlessApprovals, type ApprovalRequest } from '../../../src/agent/approvals.js';
import { managedPolicyPath } from '../../../src/config/managed-policy.js';
import { mergeRules, PermissionPolicy } from '../../../src/policy/permissions.js';
import { makeTree, type Tree } from './helpers.js';

let tree: Tree;
let n = 0;
beforeEach(() => {
  tree = makeTree();
});
afterEach(() => tree.cleanup());

/** A policy file at a path no earlier test used (policies are read once per run and path). */
function policyEnv(policy: string | object): NodeJS.ProcessEnv {
  n += 1;
  return { MCPSH_MANAGED_CONFIG: tree.write(`policy-${n}/managed-config.json`, policy) };
}

describe('where the policy is', () => {
  it('has a fixed path per platform, and MCPSH_MANAGED_CONFIG overrides it', () => {
    expect(managedPolicyPath({}, 'linux')).toBe('/etc/mcpsh/managed-config.json');
    expect(managedPolicyPath({}, 'darwin')).toBe('/Library/Application Support/mcpsh/managed-config.json');
    expect(managedPolicyPath({}, 'win32')).toBe('C:\\ProgramData\\mcpsh\\managed-config.json');
    expect(managedPolicyPath({ MCPSH_MANAGED_CONFIG: '/tmp/p.json' }, 'linux')).toBe('/tmp/p.json');
  });

  it('a missing file is no policy', async () => {
    tree.write('mcp.config.json', { mcpServers: { a: { command: 'x' } } });
    const loaded = await tree.load('.', { env: { MCPSH_MANAGED_CONFIG: path.join(tree.root, 'nothing-here.json') } });
    expect(loaded.managed).toBeUndefined();
    expect(loaded.servers[0]?.blocked).toBeUndefined();
  });
});

describe('a policy that cannot be applied stops the run (CONFIG, exit 3) and names the file', () => {
  beforeEach(() => {
    tree.write('mcp.config.json', { mcpServers: { a: { command: 'x' } } });
  });

  it('not JSON', async () => {
    const env = policyEnv('{ "deniedMcpServers": [ }');
    const err = await tree.loadError('.', { env });
    expect(err.code).toBe('CONFIG');
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain(`the managed policy ${env.MCPSH_MANAGED_CONFIG ?? ''} is not valid JSON`);
    expect(err.hint).toContain('ask whoever manages');
  });

  it('unreadable', async () => {
    if (process.getuid?.() === 0) {
      // root reads any file: a directory in its place cannot be read as a file by anyone.
      n += 1;
      const dir = path.join(tree.root, `policy-dir-${n}`);
      mkdirSync(dir);
      const err = await tree.loadError('.', { env: { MCPSH_MANAGED_CONFIG: dir } });
      expect(err.message).toMatch(new RegExp(`^the managed policy ${dir} cannot be read: `));
      return;
    }
    const env = policyEnv({});
    chmodSync(env.MCPSH_MANAGED_CONFIG ?? '', 0o000);
    const err = await tree.loadError('.', { env });
    expect(err.message).toContain('cannot be read');
  });

  it('every invalid part listed, with its JSON path: a misspelt key is an error, not ignored', async () => {
    const env = policyEnv({
      deniedMcpServer: [{ serverName: 'x' }],
      allowedMcpServers: [
        { serverName: 'a', serverCommand: ['x'] },
        { serverCommand: [] },
        { serverCommand: ['./run.sh'] },
        { serverUrl: 'https://h/mcp?x=1' },
        { serverUrl: 'https://u@h/' },
        'a',
      ],
      permissions: { deny: 'db__x', alow: ['y'] },
      hooks: [],
    });
    const err = await tree.loadError('.', { env });
    expect(err.message.split('\n').slice(1)).toEqual([
      '  - deniedMcpServer: unknown key; did you mean "deniedMcpServers"?',
      '  - allowedMcpServers[0]: expected an object with exactly one of serverName, serverCommand, serverUrl, found the keys serverName, serverCommand',
      '  - allowedMcpServers[1].serverCommand: expected a non-empty list of strings (the command, then its arguments), found an empty array',
      '  - allowedMcpServers[2].serverCommand[0]: "./run.sh" is a relative path; write a bare command name (looked up on PATH) or an absolute path',
      '  - allowedMcpServers[3].serverUrl: "https://h/mcp?x=1" has a query or fragment; a pattern matches the scheme, host, port and path only',
      '  - allowedMcpServers[4].serverUrl: "https://u@h/" names a user (…@host); a pattern matches the scheme, host, port and path only',
      '  - allowedMcpServers[5]: expected an object with exactly one of serverName, serverCommand, serverUrl, found a string "a"',
      '  - permissions.deny: expected a list of non-empty tool-name patterns such as "db__drop_*", found a string "db__x"',
      '  - permissions.alow: unknown key; did you mean "allow"?',
      '  - hooks: expected an object of hook events, found an empty array',
    ]);
  });
});

it('a hooks section the hooks runner could not run is an error too, not skipped', async () => {
  tree.write('mcp.config.json', { mcpServers: { a: { command: 'x' } } });
  const env = policyEnv({ hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command' }] }] } });
  const err = await tree.loadError('.', { env });
  expect(err.code).toBe('CONFIG');
  expect(err.message).toContain('  - hooks.PreToolUse[0].hooks[0].command: ');
});

describe('what loading a policy gives', () => {
  it('blocked servers are marked (never started: configError) and listed; the others are untouched', async () => {
    tree.write('mcp.config.json', { mcpServers: { ok: { command: 'x' }, bad: { command: 'y' }, off: { command: 'z', enabled: false } } });
    const env = policyEnv({
      deniedMcpServers: [{ serverName: 'bad' }, { serverName: 'off' }],
      hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'audit' }] }] },
    });
    const loaded = await tree.load('.', { env });
    const reason = `blocked by the managed policy (${env.MCPSH_MANAGED_CONFIG ?? ''}): deniedMcpServers[0] {"serverName":"bad"} matches its name`;
    expect(loaded.servers.map((s) => [s.name, s.blocked, s.configError])).toEqual([
      ['ok', undefined, undefined],
      ['bad', reason, reason],
      ['off', expect.stringContaining('"serverName":"off"'), expect.stringContaining('"serverName":"off"')],
    ]);
    expect(loaded.managed?.blocked.map((b) => b.name)).toEqual(['bad', 'off']);
    expect(loaded.managed?.hooks).toEqual({ PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'audit' }] }] });
  });

  it('a project server re-adding a denied command under another name is blocked by the command rule, ${VAR}s resolved first', async () => {
    tree.write('mcp.config.json', { mcpServers: { renamed: { command: '${TOOL}', args: ['-y', '${PKG}'] } } });
    const env = {
      ...policyEnv({ deniedMcpServers: [{ serverName: 'evil' }, { serverCommand: ['npx', '-y', 'evil-pkg'] }] }),
      TOOL: '/opt/elsewhere/npx',
      PKG: 'evil-pkg',
    };
    const loaded = await tree.load('.', { env });
    expect(loaded.servers[0]?.blocked).toContain('deniedMcpServers[1] {"serverCommand":["npx","-y","evil-pkg"]} matches its command');
  });

  it('its permission rules travel as permissions.managed, and one a config file wrote itself is dropped', async () => {
    tree.write('user-config/config.json', {
      permissions: { allow: ['db__drop'], managed: { file: 'forged', allow: ['*'], ask: [], deny: [] } },
    });
    tree.write('mcp.config.json', { mcpServers: { db: { command: 'x' } } });
    const env = policyEnv({ permissions: { deny: ['db__drop'], ask: ['db__write'] } });
    const loaded = await tree.load('.', { env });
    expect(loaded.config.permissions).toEqual({
      allow: ['db__drop'],
      managed: { file: env.MCPSH_MANAGED_CONFIG, allow: [], ask: ['db__write'], deny: ['db__drop'] },
    });
    const none = await tree.load('.', { env: { MCPSH_MANAGED_CONFIG: path.join(tree.root, 'absent.json') } });
    expect(none.config.permissions).toEqual({ allow: ['db__drop'] });
  });
});

describe('managed permission rules cannot be loosened', () => {
  const managed = { file: '/etc/mcpsh/managed-config.json', allow: ['db__read'], ask: ['db__write'], deny: ['db__drop*'] };
  const request = (tool: string): ApprovalRequest => ({ callId: 'c', name: `db__${tool}`, server: 'db', tool, args: {} });

  it('a managed deny beats a user allow, --allow and --yes', async () => {
    const approve = headlessApprovals({ rules: mergeRules({ allow: ['db__*'] }, { managed }, { allow: ['db__drop_table'] }), yes: true });
    expect(await approve(request('drop_table'), new AbortController().signal)).toEqual({
      allow: false,
      reason: 'denied by the managed policy\'s rule "db__drop*" (/etc/mcpsh/managed-config.json)',
      by: { kind: 'rule', rule: 'db__drop*' },
    });
  });

  it('a managed ask beats a user allow, and --yes does not answer it', async () => {
    const approve = headlessApprovals({ rules: mergeRules({ allow: ['db__write'] }, { managed }), yes: true });
    const decision = await approve(request('write'), new AbortController().signal);
    expect(decision.allow).toBe(false);
    expect(decision.allow === false && decision.reason).toContain('--yes does not answer it');
  });

  it('a managed allow is one more allow: a user deny or ask still tightens it, and it allows what no rule names', () => {
    const decide = (user: object, tool: string): string =>
      new PermissionPolicy(mergeRules(user, { managed })).decide({ name: `db__${tool}`, server: 'db', tool }).decision;
    expect(decide({ deny: ['db__read'] }, 'read')).toBe('deny');
    expect(decide({ ask: ['db__read'] }, 'read')).toBe('ask');
    expect(decide({}, 'read')).toBe('allow');
    expect(decide({}, 'other')).toBe('ask');
  });

  it('a `managed` value of the wrong shape is ignored (it can only come from a config file, never the policy)', () => {
    const forged: unknown = { allow: ['*'] };
    expect(mergeRules({ managed: forged }).managed).toBeUndefined();
  });
});
