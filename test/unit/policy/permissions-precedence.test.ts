// The full precedence of the rule engine (deny > ask > allow > autoAllowReadOnly > default ask), user
// and project rules as the loader merges them, and the headless approvals built on top.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headlessApprovals, type ApprovalRequest } from '../../../src/agent/approvals.js';
import { PermissionPolicy, mergeRules, type RuleTarget } from '../../../src/policy/permissions.js';

/** A server tool whose model-facing name is its real `<server>__<tool>`. */
function target(name: string): RuleTarget {
  const at = name.indexOf('__');
  return { name, server: name.slice(0, at), tool: name.slice(at + 2) };
}
import { makeTree, type Tree } from '../config/helpers.js';

const readOnly = { readOnlyHint: true };

describe('PermissionPolicy precedence', () => {
  it('deny > ask > allow for the same tool, whatever order the lists come in', () => {
    const rules = mergeRules({ allow: ['db__*'] }, { ask: ['db__query'] }, { deny: ['db__q*'] });
    expect(new PermissionPolicy(rules).decide(target('db__query'))).toEqual({ decision: 'deny', rule: 'db__q*' });
    expect(new PermissionPolicy(mergeRules({ allow: ['db__*'], ask: ['db__query'] })).decide(target('db__query'))).toEqual({
      decision: 'ask',
      rule: 'db__query',
    });
  });

  it('autoAllowReadOnly allows an unnamed readOnlyHint tool, and only when it is on', () => {
    const on = new PermissionPolicy(mergeRules(), { autoAllowReadOnly: true });
    const off = new PermissionPolicy(mergeRules());
    expect(on.decide(target('db__query'), readOnly)).toEqual({ decision: 'allow', rule: undefined, readOnlyHint: true });
    expect(off.decide(target('db__query'), readOnly)).toEqual({ decision: 'ask', rule: undefined });
    expect(on.decide(target('db__query'), { readOnlyHint: false })).toEqual({ decision: 'ask', rule: undefined });
    expect(on.decide(target('db__query'))).toEqual({ decision: 'ask', rule: undefined });
  });

  it('a readOnlyHint never overrides a deny or an ask rule (annotations are hints from an untrusted server)', () => {
    const policy = new PermissionPolicy(mergeRules({ deny: ['files__delete'], ask: ['files__*'] }), { autoAllowReadOnly: true });
    expect(policy.decide(target('files__delete'), readOnly)).toEqual({ decision: 'deny', rule: 'files__delete' });
    expect(policy.decide(target('files__read'), readOnly)).toEqual({ decision: 'ask', rule: 'files__*' });
    expect(policy.decide(target('db__query'), readOnly).decision).toBe('allow');
  });

  it('an allow rule is reported as the rule, not as the hint', () => {
    const policy = new PermissionPolicy(mergeRules({ allow: ['db__query'] }), { autoAllowReadOnly: true });
    expect(policy.decide(target('db__query'), readOnly)).toEqual({ decision: 'allow', rule: 'db__query' });
  });
});

describe('user and project rules, as loaded', () => {
  let t: Tree;
  beforeEach(() => {
    t = makeTree();
  });
  afterEach(() => t.cleanup());

  it('a project cannot remove or override a deny from the user file', async () => {
    t.write('user-config/config.json', { permissions: { deny: ['files__write_file'], allow: ['db__query'] } });
    t.write('mcp.config.json', { mcpServers: { files: { command: 'x' } }, permissions: { allow: ['files__*'], deny: [] } });
    const loaded = await t.load();
    expect(loaded.config.permissions).toMatchObject({ allow: ['db__query', 'files__*'], deny: ['files__write_file'] });
    const policy = new PermissionPolicy(mergeRules(loaded.config.permissions));
    expect(policy.decide(target('files__write_file')).decision).toBe('deny');
    expect(policy.decide(target('files__read_file')).decision).toBe('allow');
    expect(policy.decide(target('db__query')).decision).toBe('allow');
  });

  it('a project deny narrows what the user allowed', async () => {
    t.write('user-config/config.json', { permissions: { allow: ['db__*'] } });
    t.write('mcp.config.json', { mcpServers: { db: { command: 'x' } }, permissions: { deny: ['db__execute'] } });
    const policy = new PermissionPolicy(mergeRules((await t.load()).config.permissions));
    expect(policy.decide(target('db__execute')).decision).toBe('deny');
    expect(policy.decide(target('db__query')).decision).toBe('allow');
  });
});

describe('headlessApprovals', () => {
  const request = (name: string, annotations?: ApprovalRequest['annotations']): ApprovalRequest => {
    const [server = '', tool = ''] = name.split('__');
    return { callId: 'c1', name, server, tool, args: {}, ...(annotations ? { annotations } : {}) };
  };
  const signal = new AbortController().signal;

  it('says what decided each call', async () => {
    const approve = headlessApprovals({ rules: mergeRules({ allow: ['db__*'], deny: ['db__drop'] }), yes: false, autoAllowReadOnly: true });
    expect(await approve(request('db__query'), signal)).toEqual({ allow: true, by: { kind: 'rule', rule: 'db__*' } });
    expect(await approve(request('db__drop'), signal)).toMatchObject({ allow: false, by: { kind: 'rule', rule: 'db__drop' } });
    expect(await approve(request('files__read', readOnly), signal)).toEqual({ allow: true, by: { kind: 'readOnlyHint' } });
    const unnamed = await approve(request('files__write'), signal);
    expect(unnamed).toMatchObject({ allow: false, by: { kind: 'default' } });
    expect(unnamed.allow ? '' : unnamed.reason).toContain("--allow 'files__write'");
  });

  it('--yes allows what no deny rule forbids, and says so', async () => {
    const approve = headlessApprovals({ rules: mergeRules({ deny: ['db__drop'], ask: ['db__*'] }), yes: true });
    expect(await approve(request('db__query'), signal)).toEqual({ allow: true, by: { kind: 'yes' } });
    expect((await approve(request('db__drop'), signal)).allow).toBe(false);
  });

  it('without autoAllowReadOnly a readOnlyHint tool still needs a rule', async () => {
    const approve = headlessApprovals({ rules: mergeRules(), yes: false });
    expect((await approve(request('files__read', readOnly), signal)).allow).toBe(false);
  });
});
