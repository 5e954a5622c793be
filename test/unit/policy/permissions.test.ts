import { describe, expect, it } from 'vitest';
import { PermissionPolicy, mergeRules, type RuleTarget } from '../../../src/policy/permissions.js';

/** A server tool whose model-facing name is its real `<server>__<tool>`. */
function target(name: string): RuleTarget {
  const at = name.indexOf('__');
  return { name, server: name.slice(0, at), tool: name.slice(at + 2) };
}

describe('PermissionPolicy', () => {
  const policy = new PermissionPolicy(
    mergeRules({ allow: ['db__*', 'files__read_*'] }, { ask: ['files__*'], deny: ['files__write_file', 'db__execute'] }),
  );

  it('deny wins over allow and ask', () => {
    expect(policy.decide(target('db__execute'))).toEqual({ decision: 'deny', rule: 'db__execute' });
    expect(policy.decide(target('files__write_file'))).toEqual({ decision: 'deny', rule: 'files__write_file' });
  });

  it('ask wins over allow', () => {
    expect(policy.decide(target('files__read_text_file'))).toEqual({ decision: 'ask', rule: 'files__*' });
  });

  it('allow applies when nothing stronger matches', () => {
    expect(policy.decide(target('db__query'))).toEqual({ decision: 'allow', rule: 'db__*' });
  });

  it('a tool no rule names is ask, with no rule', () => {
    expect(policy.decide(target('crm__search_contacts'))).toEqual({ decision: 'ask', rule: undefined });
  });

  it('globs match whole names only', () => {
    const p = new PermissionPolicy(mergeRules({ allow: ['db__q*'] }));
    expect(p.decide(target('db__query')).decision).toBe('allow');
    expect(p.decide(target('xdb__query')).decision).toBe('ask');
    expect(p.decide(target('db__list_tables')).decision).toBe('ask');
  });

  it('* allows everything', () => {
    expect(new PermissionPolicy(mergeRules({ allow: ['*'] })).decide(target('any__tool')).decision).toBe('allow');
  });
});
