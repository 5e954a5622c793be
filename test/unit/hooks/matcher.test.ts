// Hook matchers as Claude Code reads them (all, exact names, | lists, unanchored regex) plus globs, tested against
// every name a call goes by: the model's `server__tool` and Claude Code's `mcp__server__tool`.
import { describe, expect, it } from 'vitest';
import { compileMatcher, toolNames } from '../../../src/hooks/matcher.js';

const call = (server: string, tool: string, name = `${server}__${tool}`): string[] => toolNames({ name, server, tool });

describe('hook matchers', () => {
  it('absent, empty and * match every call', () => {
    for (const m of [undefined, '', '*', '  ']) expect(compileMatcher(m)(call('files', 'read'))).toBe(true);
  });

  it('plain names match exactly, alone or joined by |', () => {
    const m = compileMatcher('files__read|db__query');
    expect(m(call('files', 'read'))).toBe(true);
    expect(m(call('db', 'query'))).toBe(true);
    expect(m(call('files', 'read_all'))).toBe(false);
    expect(compileMatcher('files')(call('files', 'read'))).toBe(false);
  });

  it("Claude Code's mcp__server__tool names carry over", () => {
    expect(compileMatcher('mcp__memory__create_entities')(call('memory', 'create_entities'))).toBe(true);
    expect(compileMatcher('mcp__memory__.*')(call('memory', 'read_graph'))).toBe(true);
    expect(compileMatcher('mcp__memory__.*')(call('files', 'read'))).toBe(false);
  });

  it('a glob with * or ? matches the whole name', () => {
    const m = compileMatcher('files__*');
    expect(m(call('files', 'write_file'))).toBe(true);
    expect(m(call('myfiles', 'write_file'))).toBe(false);
    expect(compileMatcher('db__quer?')(call('db', 'query'))).toBe(true);
    expect(compileMatcher('*__delete_*|*__drop')(call('crm', 'drop'))).toBe(true);
  });

  it('anything else is an unanchored regular expression', () => {
    expect(compileMatcher('write|delete.*')(call('files', 'delete_file'))).toBe(true);
    expect(compileMatcher('^db__')(call('db', 'query'))).toBe(true);
    expect(compileMatcher('^db__')(call('files', 'query'))).toBe(false);
    expect(() => compileMatcher('([')).toThrow();
  });

  it('a folded model name still matches by the real server and tool', () => {
    // The model saw a sanitised name; rules and hooks written for the real names still apply.
    const names = toolNames({ name: 'My_Server__get_x', server: 'My Server', tool: 'get.x' });
    expect(names).toEqual(['My_Server__get_x', 'My Server__get.x', 'mcp__My Server__get.x']);
    expect(compileMatcher('mcp__My Server__get.x')(names)).toBe(true);
    // Built-in tools have no server: only their own name.
    expect(toolNames({ name: 'mcpsh_search_tools', server: 'mcpsh', tool: 'search_tools', builtin: true })).toEqual(['mcpsh_search_tools']);
  });
});
