import { describe, expect, it } from 'vitest';
import { PermissionPolicy, mergeRules } from '../../../src/policy/permissions.js';

describe('PermissionPolicy', () => {
  const policy = new PermissionPolicy(
    mergeRules({ allow: ['db__*', 'files__read_*'] }, { ask: ['files__*'], deny: ['files__write_file', 'db__execute'] }),
  );

  it('deny wins over allow and ask', () => {
    expect(policy.decide('db__execute')).toEqual({ decision: 'deny', rule: 'db__execute' });
    expect(policy.decide('files__write_file')).toEqual({ decision: 'deny', rule: 'files__write_file' });
  });

  it('ask wins over allow', () => {
    expect(policy.decide('files__read_text_file')).toEqual({ decision: 'ask', rule: 'files__*' });
  });

  it('allow applies when nothing stronger matches', () => {
    expect(policy.decide('db__query')).toEqual({ decision: 'allow', rule: 'db__*' });
  });

  it('a tool no rule names is ask, with no rule', () => {
    expect(policy.decide('crm__search_contacts')).toEqual({ decision: 'ask', rule: undefined });
  });

  it('globs match whole names only', () => {
    const p = new PermissionPolicy(mergeRules({ allow: ['db__q*'] }));
    expect(p.decide('db__query').decision).toBe('allow');
    expect(p.decide('xdb__query').decision).toBe('ask');
    expect(p.decide('db__list_tables').decision).toBe('ask');
  });

  it('* allows everything', () => {
    expect(new PermissionPolicy(mergeRules({ allow: ['*'] })).decide('any__tool').decision).toBe('allow');
  });
});
