// The `hooks` section through the real loader: validated in Claude Code's shape, kept per file with its source,
// never interpolated (the shell expands its variables), run only from trusted files, shown in the trust review.
import { afterEach, describe, expect, it } from 'vitest';
import { describeForTrust } from '../../../src/config/trust.js';
import { projectDir, trustedHookSets, hooksFor } from '../../../src/hooks/from-config.js';
import { makeTree, type Tree } from '../config/helpers.js';

let tree: Tree;
afterEach(() => tree.cleanup());

const userHooks = { PreToolUse: [{ matcher: 'files__*', hooks: [{ type: 'command', command: 'echo user "$HOME" ${NOT_SET}' }] }] };
const projectHooks = { Stop: [{ hooks: [{ type: 'command', command: './check.sh $$', timeout: 5 }] }] };

describe('hooks config', () => {
  it('keeps each file its own set, user first, with commands exactly as written', async () => {
    tree = makeTree();
    const userFile = tree.write('user-config/config.json', { hooks: userHooks });
    const projectFile = tree.write('mcp.config.json', { mcpServers: {}, hooks: projectHooks });
    const loaded = await tree.load();
    expect(loaded.warnings).toEqual([]);
    expect(loaded.hookSets).toEqual([
      { source: userFile, scope: 'user', hooks: userHooks },
      { source: projectFile, scope: 'project', hooks: projectHooks },
    ]);
    expect(trustedHookSets(loaded)).toHaveLength(2);
    expect(projectDir(loaded, '/elsewhere')).toBe(tree.root);
  });

  it('an untrusted project file contributes no hooks; the user file still does', async () => {
    tree = makeTree();
    tree.write('user-config/config.json', { hooks: userHooks });
    tree.write('mcp.config.json', { mcpServers: {}, hooks: projectHooks });
    const loaded = await tree.load('.', { trustGate: () => false });
    expect(loaded.untrusted).toBeDefined();
    expect(trustedHookSets(loaded).map((s) => s.scope)).toEqual(['user']);
    const runner = hooksFor(loaded, tree.root, {});
    expect(runner?.has('PreToolUse')).toBe(true);
    expect(runner?.has('Stop')).toBe(false);
  });

  it("the managed policy's hooks come first and stay, whatever the user and project files say", async () => {
    tree = makeTree();
    const policyHooks = { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: '/opt/corp/audit-call' }] }] };
    const policyFile = tree.write('etc/managed-config.json', { hooks: policyHooks });
    tree.write('user-config/config.json', { hooks: userHooks });
    tree.write('mcp.config.json', { mcpServers: {}, hooks: projectHooks });
    const loaded = await tree.load('.', { env: { MCPSH_MANAGED_CONFIG: policyFile } });
    expect(trustedHookSets(loaded)).toEqual([
      { source: policyFile, scope: 'managed', hooks: policyHooks },
      expect.objectContaining({ scope: 'user' }),
      expect.objectContaining({ scope: 'project' }),
    ]);
    const untrusted = await tree.load('.', { env: { MCPSH_MANAGED_CONFIG: policyFile }, trustGate: () => false });
    expect(trustedHookSets(untrusted).map((s) => s.scope)).toEqual(['managed', 'user']);
  });

  it('no hooks anywhere: no runner at all', async () => {
    tree = makeTree();
    tree.write('mcp.config.json', { mcpServers: {} });
    const loaded = await tree.load();
    expect(loaded.hookSets).toEqual([]);
    expect(hooksFor(loaded, tree.root, {})).toBeUndefined();
  });

  it('a wrong hooks section is a CONFIG error naming the path', async () => {
    tree = makeTree();
    tree.write('mcp.config.json', {
      hooks: {
        PreToolUse: [{ matcher: '([', hooks: [{ type: 'command', command: 'x' }] }],
        PostToolUse: [{ hooks: [{ type: 'prompt', command: 'x' }] }],
        Stop: [{ hooks: [{ type: 'command', command: 'x', timout: 3 }] }],
        Notification: [],
      },
    });
    const err = await tree.loadError();
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain('hooks.PreToolUse[0].matcher');
    expect(err.message).toContain('not a valid regular expression');
    expect(err.message).toContain('hooks.PostToolUse[0].hooks[0].type');
    expect(err.message).toContain('hooks.Stop[0].hooks[0].timout');
    expect(err.message).toContain('hooks.Notification');
  });

  it('the trust review lists every hook command the project file would run', async () => {
    tree = makeTree();
    tree.write('mcp.config.json', { mcpServers: {}, hooks: { ...userHooks, ...projectHooks } });
    const loaded = await tree.load('.', { trustGate: () => false });
    const review = describeForTrust(loaded, {});
    expect(review.settings).toEqual([
      { name: 'hooks.PreToolUse (a shell command run for tools matching "files__*")', value: 'echo user "$HOME" ${NOT_SET}' },
      { name: 'hooks.Stop (a shell command run)', value: './check.sh $$' },
    ]);
  });
});
