// What the slash commands do, against the context the chat provides: list tools and servers, call a
// tool directly (arguments checked first), switch agents, show a tool call in full.
import type { Tool } from '../../mcp/types.js';
import type { TurnMessage } from '../../agent/session.js';
import type { ToolSelectionView } from '../../agent/tool-search.js';
import type { ResultBudget } from '../../agent/tool-result.js';
import { AppError, errorMessage } from '../../errors.js';
import type { ServerConnection } from '../../mcp/connection.js';
import type { Hub } from '../../mcp/hub.js';
import { validateArgs } from '../../mcp/validate-args.js';
import { serverState, transportLabel } from '../../output/servers.js';
import { formatTable, oneLine } from '../../output/table.js';
import { closestMatch } from '../../suggest.js';
import type { FeatureIndex } from '../state/feature-index.js';
import { formatDuration, plural } from '../text/format.js';
import type { InputBridge } from './input-bridge.js';

export interface AgentInfo {
  name: string;
  description?: string;
  servers?: string[];
}

/** What the commands need from the chat. */
export interface CommandContext {
  hub: Hub;
  /** The servers the current agent may use (and so started). */
  profileServers(): readonly string[];
  agents(): AgentInfo[];
  currentAgent(): string | null;
  /** Switches the agent profile (null: none); returns what to tell the person. */
  setAgent(name: string | null): string;
  /** The model in use, or why there is none. */
  modelInfo(): string;
  setModel(name: string): string;
  clear(): void;
  /** /compact: summarises the older conversation now (with extra instructions for the summary); says what happened. */
  compact(instructions: string | undefined): Promise<string>;
  stats(): string;
  exit(): void;
  busy(): boolean;
  /** Runs a tool directly; the transcript shows it as a tool call. */
  callTool(server: string, tool: string, args: Record<string, unknown>): Promise<void>;
  /** The full arguments and result of tool call #seq (the latest without seq), or undefined. */
  expand(seq: number | undefined): string | undefined;
  /** The prompts and resources of the chat's servers, kept current. */
  features: FeatureIndex;
  /** The prompt line: asks for missing prompt arguments. */
  input: InputBridge;
  /** Why nothing can be sent to a model, or undefined when something can. */
  modelProblem(): string | undefined;
  /** Sends a server prompt's messages as the person's turn; `shown` stands for them in the transcript. */
  sendPrompt(shown: string, messages: TurnMessage[], notes: string[]): Promise<void>;
  /** How much MCP content one message may give the model. */
  contentBudget(): ResultBudget;
  /** /resume: continues saved chat `id`, or opens the picker without one; returns what to say, if anything. */
  resume(id: string | undefined): string | undefined;
  /** Which tools the model is offered now and which wait behind tool search (undefined: no model). */
  toolSelection?(): ToolSelectionView | undefined;
}

export interface CommandResult {
  /** Shown under the command in the transcript; nothing when undefined. */
  output?: string;
  isError?: boolean;
  /** Columns and tables: cut long lines rather than wrap them. */
  table?: boolean;
}

/** How the output will be shown. */
export interface CommandView {
  /** Terminal columns. */
  width: number;
}

/** `/agent default` means no profile (unless an agent is really called that). */
export const DEFAULT_AGENT = 'default';

export function toolsCommand(server: string, ctx: CommandContext): CommandResult {
  const profile = ctx.profileServers();
  const names = server === '' ? [...profile] : [requireConnection(ctx.hub, server).name];
  const out: string[] = [];
  // With tool search in use, each tool says whether the model has it now (offered) or must search for it.
  const selection = ctx.toolSelection?.();
  const search = selection?.active ? selection : undefined;
  if (search) {
    out.push(
      `tool search is on: ${search.offered.size} of ${plural(search.total, 'tool')} offered to the model (${search.loaded.length} loaded by searches), ${search.deferred} deferred: the model finds them with mcpsh_search_tools`,
      '',
    );
  }
  for (const name of names) {
    const c = ctx.hub.get(name);
    if (!c) continue;
    if (c.state !== 'ready') {
      out.push(`${name}: ${stateNote(c, profile)}`, '');
      continue;
    }
    if (search) {
      out.push(...searchRows(c, ctx.hub, search, server !== ''), '');
      continue;
    }
    out.push(`${name} (${plural(c.tools.length, 'tool')})`);
    if (c.tools.length > 0)
      out.push(formatTable(c.tools.map((t) => [`  ${ctx.hub.nameOf(name, t.name)}${hintOf(t)}`, oneLine(t.description, 70)])));
    out.push('');
  }
  return { output: out.length === 0 ? 'no servers' : out.join('\n').trimEnd(), table: true };
}

/** Deferred tools listed one by one up to this many per server, unless /tools names the server. */
const DEFERRED_LISTED = 20;

/** One server's tools under tool search: offered ones marked loaded or always, deferred ones after them. */
function searchRows(c: ServerConnection, hub: Hub, search: ToolSelectionView, all: boolean): string[] {
  const loaded = new Set(search.loaded);
  const rows = c.tools.map((t) => {
    const full = hub.nameOf(c.name, t.name);
    const state = !search.offered.has(full) ? 'deferred' : loaded.has(full) ? 'loaded' : 'always';
    return { state, row: [`  ${full}${hintOf(t)}`, state, oneLine(t.description, 60)] };
  });
  const offered = rows.filter((r) => r.state !== 'deferred');
  const deferred = rows.filter((r) => r.state === 'deferred');
  const shown = all || deferred.length <= DEFERRED_LISTED ? deferred : [];
  const out = [`${c.name} (${plural(c.tools.length, 'tool')}: ${offered.length} offered, ${deferred.length} deferred)`];
  if (offered.length + shown.length > 0) out.push(formatTable([...offered, ...shown].map((r) => r.row)));
  if (shown.length < deferred.length) out.push(`  … ${plural(deferred.length, 'deferred tool')} (/tools ${c.name} lists them)`);
  return out;
}

function stateNote(c: ServerConnection, profile: readonly string[]): string {
  switch (c.state) {
    case 'connecting':
      return profile.includes(c.name) ? 'still connecting' : 'not started (not part of the current agent)';
    case 'failed':
      return c.config.blocked ?? `failed: ${c.error ?? 'unknown reason'}`;
    case 'disabled':
      return 'disabled in the config';
    default:
      return c.state;
  }
}

function hintOf(t: Tool): string {
  const a = t.annotations;
  if (a?.readOnlyHint === true) return ' [read-only]';
  if (a?.destructiveHint === true) return ' [destructive]';
  return '';
}

export function serversText(ctx: CommandContext): string {
  const profile = ctx.profileServers();
  const rows = [['server', 'state', 'transport', 'tools', 'connect']];
  const problems: string[] = [];
  for (const c of ctx.hub.connections) {
    const state = c.state === 'connecting' && !profile.includes(c.name) ? 'not started' : serverState(c);
    rows.push([
      c.name,
      state,
      transportLabel(c),
      c.state === 'ready' ? String(c.tools.length) : '-',
      c.connectMs !== undefined ? formatDuration(c.connectMs) : '-',
    ]);
    if (c.state === 'failed') problems.push(`${c.name}: ${c.error ?? 'unknown reason'}`);
  }
  const agent = ctx.currentAgent();
  const lines = [formatTable(rows)];
  if (problems.length > 0) lines.push('', ...problems);
  if (agent !== null) lines.push('', `agent ${agent} uses: ${profile.join(', ') || '(no servers)'}`);
  return lines.join('\n');
}

function requireConnection(hub: Hub, name: string): ServerConnection {
  const c = hub.get(name);
  if (c) return c;
  const close = closestMatch(
    name,
    hub.connections.map((x) => x.name),
  );
  throw new AppError('USAGE', `no server named "${name}"${close ? ` (did you mean "${close}"?)` : ''}`, {
    hint: `servers: ${hub.connections.map((x) => x.name).join(', ')}`,
  });
}

export async function callCommand(args: string, ctx: CommandContext): Promise<CommandResult> {
  const match = /^(\S+)\s+(\S+)\s*([\s\S]*)$/.exec(args.trim());
  if (!match) return { output: 'usage: /call <server> <tool> [json arguments], e.g. /call db query {"sql": "select 1"}', isError: true };
  const [, serverName = '', toolName = '', json = ''] = match;
  const c = requireConnection(ctx.hub, serverName);
  if (c.state !== 'ready') return { output: `server ${c.name} is ${stateNote(c, ctx.profileServers())}`, isError: true };
  const tool = c.tools.find((t) => t.name === toolName) ?? c.tools.find((t) => ctx.hub.nameOf(c.name, t.name) === toolName);
  if (!tool) {
    const close = closestMatch(
      toolName,
      c.tools.map((t) => t.name),
    );
    return {
      output: `server ${c.name} has no tool "${toolName}"${close ? ` (did you mean "${close}"?)` : ''}; /tools ${c.name} lists them`,
      isError: true,
    };
  }
  let parsed: unknown = {};
  if (json.trim() !== '') {
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      return {
        output: `the arguments are not valid JSON: ${errorMessage(err)}\nexample: /call ${c.name} ${tool.name} {"key": "value"}`,
        isError: true,
      };
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { output: 'the arguments must be a JSON object, e.g. {"key": "value"}', isError: true };
  const check = validateArgs(tool.inputSchema, parsed);
  if (!check.ok) {
    return {
      output: `invalid arguments for ${c.name} › ${tool.name}:\n${check.problems.map((p) => `  - ${p}`).join('\n')}\nexpected: ${JSON.stringify(tool.inputSchema.properties ?? {})}`,
      isError: true,
    };
  }
  await ctx.callTool(c.name, tool.name, parsed as Record<string, unknown>);
  return {};
}

export function agentCommand(name: string, ctx: CommandContext): CommandResult {
  const agents = ctx.agents();
  if (name === '') {
    const current = ctx.currentAgent();
    if (agents.length === 0) return { output: 'no agent profiles in the config (define them under "agents"; see docs/configuration.md)' };
    const rows = agents.map((a) => [
      `${a.name === current ? '*' : ' '} ${a.name}`,
      a.description ?? '',
      a.servers ? `servers: ${a.servers.join(', ')}` : 'all servers',
    ]);
    return {
      output: `${formatTable(rows)}\n\n/agent <name> switches; /agent ${DEFAULT_AGENT} uses no profile${current === null ? ' (current)' : ''}`,
      table: true,
    };
  }
  const known = agents.some((a) => a.name === name);
  return { output: ctx.setAgent(!known && (name === DEFAULT_AGENT || name === 'none') ? null : name) };
}

export function expandCommand(arg: string, ctx: CommandContext): CommandResult {
  const seq = arg === '' ? undefined : Number(arg.replace(/^#/, ''));
  if (seq !== undefined && !Number.isInteger(seq))
    return { output: 'usage: /expand [n], where n is the number shown after a tool call or sampling request', isError: true };
  const text = ctx.expand(seq);
  return text === undefined
    ? { output: seq === undefined ? 'no tool calls yet' : `no tool call or sampling request #${seq}`, isError: true }
    : { output: text };
}
