// Which tools a request carries: the budget that turns tool search on, never more than 128 tools, a stable
// order (always-loaded, the search tool, then loaded in order), alwaysLoad, late servers, the description cut.
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/agent/events.js';
import type { ToolHost } from '../../../src/agent/tool-runner.js';
import { ToolSelection } from '../../../src/agent/tool-search.js';
import { TOOL_SEARCH_NAME } from '../../../src/agent/tool-search-tool.js';
import type { QualifiedTool } from '../../../src/mcp/hub.js';

function tool(server: string, name: string, description = `Does ${name.replace(/_/g, ' ')}.`): QualifiedTool {
  return {
    name: `${server}__${name}`,
    server,
    tool: { name, description, inputSchema: { type: 'object', properties: { id: { type: 'string' } } } },
  };
}

/** A host over a list the test can change (a server joining late, a list changing). */
function host(list: QualifiedTool[]): ToolHost & { list: QualifiedTool[] } {
  const h = {
    list,
    tools: () => h.list.map((t) => ({ ...t })),
    resolve: (name: string) => h.list.find((t) => t.name === name),
    callTool: () => Promise.reject(new Error('not used')),
  };
  return h;
}

const many = (server: string, n: number): QualifiedTool[] => Array.from({ length: n }, (_, i) => tool(server, `op_${i}`));

function run(selection: ToolSelection): { names: string[]; events: AgentEvent[] } {
  const events: AgentEvent[] = [];
  const names = selection.specs((e) => events.push(e)).map((s) => s.name);
  return { names, events };
}

async function search(selection: ToolSelection, query: string, limit?: number): Promise<string> {
  const t = selection.host.resolve(TOOL_SEARCH_NAME);
  if (!t?.call) throw new Error('no search tool');
  const result = await t.call({ query, ...(limit ? { limit } : {}) }, {});
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

describe('tool selection', () => {
  it('sends a small catalogue whole, with no search tool', () => {
    const s = new ToolSelection(host(many('a', 10)));
    const { names } = run(s);
    expect(names).toHaveLength(10);
    expect(names).not.toContain(TOOL_SEARCH_NAME);
  });

  it('past 128 tools: only the search tool (and always-loaded ones), never more than 128', () => {
    const s = new ToolSelection(host([...many('big', 10_000), ...many('small', 3)]), { alwaysLoad: { small: true } });
    const { names } = run(s);
    expect(names).toEqual(['small__op_0', 'small__op_1', 'small__op_2', TOOL_SEARCH_NAME]);
  });

  it('turns on when the definitions pass their share of the context window, though under 128 tools', () => {
    const big = Array.from({ length: 20 }, (_, i) => tool('doc', `t_${i}`, 'x'.repeat(900)));
    expect(run(new ToolSelection(host(big))).names).toHaveLength(20);
    expect(run(new ToolSelection(host(big), { contextWindow: 8_000 })).names).toEqual([TOOL_SEARCH_NAME]);
  });

  it('enabled: true always searches; enabled: false caps at maxTools with one notice', () => {
    expect(run(new ToolSelection(host(many('a', 3)), { enabled: true })).names).toEqual([TOOL_SEARCH_NAME]);
    const off = new ToolSelection(host(many('a', 300)), { enabled: false });
    const first = run(off);
    expect(first.names).toHaveLength(128);
    expect(first.events).toEqual([{ type: 'notice', message: expect.stringContaining('172 tools not offered') }]);
    expect(run(off).events).toEqual([]);
  });

  it('alwaysLoad globs pick tools by the name the server gives them', () => {
    const s = new ToolSelection(
      host([...many('big', 500), tool('git', 'create_issue'), tool('git', 'list_issues'), tool('git', 'delete_repo')]),
      {
        alwaysLoad: { git: ['*_issue*'] },
      },
    );
    expect(run(s).names).toEqual(['git__create_issue', 'git__list_issues', TOOL_SEARCH_NAME]);
  });

  it('a search loads the tools it finds; they come after the search tool, in order of loading, and stay', async () => {
    const h = host([...many('big', 500), tool('mail', 'send_email'), tool('cal', 'create_event'), tool('files', 'read_file')]);
    const s = new ToolSelection(h, { alwaysLoad: { files: true } });
    expect(run(s).names).toEqual(['files__read_file', TOOL_SEARCH_NAME]);
    const events: AgentEvent[] = [];
    s.specs((e) => events.push(e));
    const text = await search(s, 'send email', 1);
    expect(text).toContain('mail__send_email');
    expect(events).toContainEqual({
      type: 'tool_search',
      query: 'send email',
      matches: ['mail__send_email'],
      loaded: ['mail__send_email'],
      evicted: [],
    });
    await search(s, 'create event', 1);
    const after = run(s).names;
    expect(after).toEqual(['files__read_file', TOOL_SEARCH_NAME, 'mail__send_email', 'cal__create_event']);
    // Stable across turns, and a search for what is loaded changes nothing.
    expect(await search(s, 'send email', 1)).toContain('[already available]');
    expect(run(s).names).toEqual(after);
  });

  it('evicts the oldest loaded tools past maxTools, and says so', async () => {
    const s = new ToolSelection(host(many('big', 500)), { maxTools: 4 });
    run(s);
    await search(s, 'op_1', 1);
    await search(s, 'op_2', 1);
    await search(s, 'op_3', 1);
    expect(run(s).names).toEqual([TOOL_SEARCH_NAME, 'big__op_1', 'big__op_2', 'big__op_3']);
    const events: AgentEvent[] = [];
    s.specs((e) => events.push(e));
    const text = await search(s, 'op_4', 1);
    expect(text).toContain('Unloaded to make room (search again to use them): big__op_1');
    expect(events).toContainEqual(expect.objectContaining({ type: 'tool_search', loaded: ['big__op_4'], evicted: ['big__op_1'] }));
    expect(run(s).names).toEqual([TOOL_SEARCH_NAME, 'big__op_2', 'big__op_3', 'big__op_4']);
  });

  it('never offers more than 128 tools, whatever maxTools and alwaysLoad say', () => {
    const s = new ToolSelection(host(many('big', 1000)), { maxTools: 500, alwaysLoad: { big: true } });
    const { names, events } = run(s);
    expect(names).toHaveLength(128);
    expect(names.at(-1)).toBe(TOOL_SEARCH_NAME);
    expect(events).toContainEqual({ type: 'notice', message: expect.stringContaining('873 tools not offered') });
  });

  it('a server that becomes ready late joins the index', async () => {
    const h = host(many('big', 500));
    const s = new ToolSelection(h);
    run(s);
    expect(await search(s, 'weather forecast')).toContain('No tool matches');
    h.list = [...h.list, tool('late', 'weather_forecast')];
    run(s);
    expect(await search(s, 'weather forecast', 1)).toContain('late__weather_forecast');
    expect(run(s).names).toContain('late__weather_forecast');
    // A tool that goes away leaves the loaded set.
    h.list = h.list.filter((t) => t.server !== 'late');
    expect(run(s).names).toEqual([TOOL_SEARCH_NAME]);
  });

  it('resolves deferred tools for a call, but lists only the offered ones', () => {
    const s = new ToolSelection(host(many('big', 500)));
    run(s);
    expect(s.host.resolve('big__op_7')?.tool.name).toBe('op_7');
    expect(s.host.tools().map((t) => t.name)).toEqual([TOOL_SEARCH_NAME]);
    expect(s.view()).toMatchObject({ active: true, total: 500, deferred: 500, loaded: [] });
  });

  it('cuts long descriptions for the model only, announced once, naming the tools', () => {
    const h = host([tool('a', 'short'), tool('a', 'long_one', 'L'.repeat(3000)), tool('a', 'long_two', 'M'.repeat(1500))]);
    const s = new ToolSelection(h);
    const first = s.specs(() => undefined);
    expect(first.find((t) => t.name === 'a__long_one')?.description).toHaveLength(1024);
    const events: AgentEvent[] = [];
    const again = new ToolSelection(h);
    again.specs((e) => events.push(e));
    again.specs((e) => events.push(e));
    expect(events).toEqual([
      {
        type: 'notice',
        message: expect.stringMatching(/^2 tool descriptions longer than 1024 characters are cut .*: a__long_one, a__long_two$/),
      },
    ]);
    // The original stays whole (the index and `mcpsh tools` use it), and the cut is configurable.
    expect(h.list[1]?.tool.description).toHaveLength(3000);
    const wide = new ToolSelection(h, { maxToolDescription: 0 }).specs(() => undefined);
    expect(wide.find((t) => t.name === 'a__long_one')?.description).toHaveLength(3000);
    const narrow = new ToolSelection(h, { maxToolDescription: 100 }).specs(() => undefined);
    expect(narrow.find((t) => t.name === 'a__long_two')?.description).toHaveLength(100);
  });
});
