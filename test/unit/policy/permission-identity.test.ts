// Permission rules follow the real server and tool, whatever the names fold to for the model: rules split at
// their first `__`, look-alike server names are refused at load, and hash-suffixed names cannot dodge a deny.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverNameProblem } from '../../../src/config/name-fold.js';
import { ToolNamer, type ToolRef } from '../../../src/mcp/naming.js';
import { PermissionPolicy, mergeRules, type RuleTarget } from '../../../src/policy/permissions.js';
import { makeTree, type Tree } from '../config/helpers.js';

/** Every ref as the approvals port sees it: the name the namer gave it, plus its real server and tool. */
function targets(refs: ToolRef[]): RuleTarget[] {
  const namer = new ToolNamer(refs);
  return refs.map((ref) => ({ name: namer.nameOf(ref), server: ref.server, tool: ref.tool }));
}

const decisions = (policy: PermissionPolicy, list: RuleTarget[]): string[] => list.map((t) => `${t.name}:${policy.decide(t).decision}`);

describe('rules match the real identity', () => {
  it('a deny for a tool still denies it when folding gave it (and a look-alike) a hash suffix', () => {
    const refs = [
      { server: 'db', tool: 'execute' },
      { server: 'db', tool: 'ｅｘｅｃｕｔｅ' },
    ];
    const list = targets(refs);
    // The premise: no tool is called plain `db__execute` any more.
    expect(list.map((t) => t.name)).not.toContain('db__execute');
    const policy = new PermissionPolicy(mergeRules({ allow: ['db__*'], deny: ['db__execute'] }));
    for (const t of list) expect(policy.decide(t)).toEqual({ decision: 'deny', rule: 'db__execute' });
  });

  it('the server part matches case-insensitively and through the config fold, never a different server', () => {
    const policy = new PermissionPolicy(mergeRules({ deny: ['db__execute'] }));
    for (const server of ['db', 'DB', 'ｄｂ', 'Ｄb']) {
      expect(policy.decide({ name: 'x', server, tool: 'execute' }).decision).toBe('deny');
    }
    for (const server of ['dbx', 'xdb', 'd', 'db2']) {
      expect(policy.decide({ name: 'x', server, tool: 'execute' }).decision).toBe('ask');
    }
  });

  it('punctuation in a server name: the rule may use the real name or the name the model sees', () => {
    const [t] = targets([{ server: 'my.server', tool: 'get.user' }]);
    if (!t) throw new Error('no target');
    expect(t.name).toBe('my_server__get_user');
    for (const rule of ['my.server__get.user', 'my_server__get_user', 'my-server__get_user', 'my.server__get*', 'my_*__*']) {
      expect(new PermissionPolicy(mergeRules({ deny: [rule] })).decide(t).decision, rule).toBe('deny');
    }
  });

  it('a glob on one server never reaches another whose name starts the same', () => {
    const policy = new PermissionPolicy(mergeRules({ allow: ['notes__*'] }));
    const list = [
      { name: 'notes__admin__wipe_all', server: 'notes__admin', tool: 'wipe_all' },
      { name: 'notes_admin__wipe_all', server: 'notes_admin', tool: 'wipe_all' },
      { name: 'notes___wipe_all', server: 'notes_', tool: 'wipe_all' },
      { name: 'notesx__wipe_all', server: 'notesx', tool: 'wipe_all' },
    ];
    for (const t of list) expect(policy.decide(t).decision, t.server).toBe('ask');
    expect(policy.decide({ name: 'notes__admin__wipe_all', server: 'notes', tool: 'admin__wipe_all' }).decision).toBe('allow');
  });

  it('a model-facing name with its hash suffix, copied into a rule, names exactly that tool', () => {
    const list = targets([
      { server: 'db', tool: 'execute' },
      { server: 'db', tool: 'ｅｘｅｃｕｔｅ' },
    ]);
    const [first, second] = list;
    if (!first || !second) throw new Error('no targets');
    const policy = new PermissionPolicy(mergeRules({ allow: [first.name] }));
    expect(decisions(policy, list)).toEqual([`${first.name}:allow`, `${second.name}:ask`]);
  });

  it('tool names with characters a glob treats as separators are still covered by `server__*`', () => {
    const policy = new PermissionPolicy(mergeRules({ deny: ['db__*', '*__delete_*'] }));
    expect(policy.decide({ name: 'db__admin_wipe', server: 'db', tool: 'admin/wipe' }).decision).toBe('deny');
    expect(policy.decide({ name: 'fs__delete_a_b', server: 'fs', tool: 'delete_a/b' }).decision).toBe('deny');
  });

  it('built-in tools are named only by rules without `__`', () => {
    const builtin: RuleTarget = { name: 'mcpsh_read_resource', server: 'mcpsh', tool: 'read_resource', builtin: true };
    expect(new PermissionPolicy(mergeRules({ allow: ['mcpsh_read_resource'] })).decide(builtin).decision).toBe('allow');
    expect(new PermissionPolicy(mergeRules({ deny: ['*'] })).decide(builtin).decision).toBe('deny');
    expect(new PermissionPolicy(mergeRules({ allow: ['mcpsh__read_resource', '*__*'] })).decide(builtin).decision).toBe('ask');
    // …and a server called `mcpsh` does not become the built-in's rule target either.
    const server: RuleTarget = { name: 'mcpsh__read_resource', server: 'mcpsh', tool: 'read_resource' };
    expect(new PermissionPolicy(mergeRules({ allow: ['mcpsh_read_resource'] })).decide(server).decision).toBe('ask');
  });

  it('rules with an empty side match nothing, and `*` still matches every server tool', () => {
    const t: RuleTarget = { name: 'db__query', server: 'db', tool: 'query' };
    expect(new PermissionPolicy(mergeRules({ allow: ['__query', 'db__', '__'] })).decide(t).decision).toBe('ask');
    expect(new PermissionPolicy(mergeRules({ deny: ['*'] })).decide(t).decision).toBe('deny');
  });
});

describe('server names that would fold together are refused at load', () => {
  let t: Tree;
  beforeEach(() => {
    t = makeTree();
  });
  afterEach(() => t.cleanup());

  const server = { command: 'node', args: ['x.js'] };

  it.each([
    ['db', 'ｄｂ'],
    ['db', 'DB'],
    ['d.b', 'd-b'],
    ['d_b', 'd.b'],
    ['café', 'cafe'],
  ])('"%s" and "%s" in one file', async (a, b) => {
    t.write('mcp.config.json', { mcpServers: { [a]: server, [b]: server } });
    const err = await t.loadError();
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain(`server "${b}" cannot be told apart from server "${a}"`);
  });

  it('a project server that folds onto a user server is refused, naming both files', async () => {
    const userFile = t.write('user-config/config.json', { mcpServers: { db: server }, permissions: { deny: ['db__execute'] } });
    const projectFile = t.write('mcp.config.json', { mcpServers: { ｄｂ: server } });
    const err = await t.loadError();
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain('server "ｄｂ" cannot be told apart from server "db"');
    expect(err.message).toContain(userFile);
    expect(err.message).toContain(projectFile);
  });

  it.each(['notes__admin', 'notes._admin', 'notes_', 'notes.', 'дб', 'ｎｏｔｅｓ＿＿ａｄｍｉｎ'])(
    '"%s" is refused: it would hide where the server name ends',
    async (name) => {
      t.write('mcp.config.json', { mcpServers: { [name]: server } });
      const err = await t.loadError();
      expect(err.code).toBe('CONFIG');
      expect(err.message).toContain(`"${name}" cannot be a server name`);
    },
  );

  it('ordinary names still load', async () => {
    t.write('mcp.config.json', {
      mcpServers: { db: server, 'my-files': server, 'crm.v2': server, _private: server, 'kho-dữ-liệu': server },
    });
    expect((await t.load()).servers.map((s) => s.name)).toEqual(['db', 'my-files', 'crm.v2', '_private', 'kho-dữ-liệu']);
    expect(serverNameProblem('db')).toBeUndefined();
  });
});
