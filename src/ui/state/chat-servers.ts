// The chat's view of the servers: the current agent's subset as a ToolHost for the session, the
// status line's rows, and the note saying which servers a message went without.
import { withResourceTool } from '../../agent/resource-tool.js';
import type { ToolHost } from '../../agent/tool-runner.js';
import type { ServerConnection } from '../../mcp/connection.js';
import type { Hub } from '../../mcp/hub.js';
import type { ServerView, TranscriptAction } from './transcript.js';

/** The status rows of the servers in `servers` (the current agent's subset). */
export function serverViews(hub: Hub, servers: readonly string[]): ServerView[] {
  return hub.connections.filter((c) => servers.includes(c.name)).map(viewOf);
}

/**
 * What a server's state change shows: its row, and, once per tool (remembered in `noted`), a notice naming a
 * tool its list had but mcpsh left out (e.g. a definition nested too deep).
 */
export function serverChangeActions(c: ServerConnection, noted: Set<string>): TranscriptAction[] {
  const actions: TranscriptAction[] = [{ type: 'server_state', server: viewOf(c) }];
  if (c.state !== 'ready') return actions;
  const fresh = c.skippedTools.filter((s) => !noted.has(`${c.name}\u0000${s.tool}`));
  for (const s of fresh) noted.add(`${c.name}\u0000${s.tool}`);
  if (fresh.length > 0)
    actions.push({
      type: 'notice',
      level: 'warn',
      text: fresh.map((s) => `tool ${s.tool} of server ${c.name} left out: ${s.reason}`).join('\n'),
    });
  return actions;
}

/** A server the managed policy blocks is never started: its row is failed, with the policy's reason as the error. */
export function viewOf(c: ServerConnection): ServerView {
  const error = c.config.blocked ?? (c.state === 'failed' ? c.error : undefined);
  return { name: c.name, state: c.state, tools: c.tools.length, ...(error !== undefined ? { error } : {}) };
}

/**
 * The hub, narrowed to the servers `servers()` names now (the agent profile can change); with
 * `resourceTool` (the config switch), plus the built-in tool that reads those servers' resources.
 */
export function profileToolHost(hub: Hub, servers: () => readonly string[], extras: { resourceTool?: boolean } = {}): ToolHost {
  const host: ToolHost = {
    tools: () => hub.tools().filter((t) => servers().includes(t.server)),
    resolve: (name) => {
      const found = hub.resolve(name);
      return found && servers().includes(found.server) ? found : undefined;
    },
    callTool: (server, tool, args, options) => hub.callTool(server, tool, args, options),
  };
  return extras.resourceTool === true ? withResourceTool(host, hub, servers) : host;
}

/**
 * Which of `servers` a message goes without: connecting ones every time, failed ones once (noted in
 * `noted`, which forgets a server when it is ready again). Undefined when all are ready.
 */
export function notReadyNote(hub: Hub, servers: readonly string[], noted: Set<string>): string | undefined {
  const notes: string[] = [];
  for (const name of servers) {
    const c = hub.get(name);
    if (c?.state === 'ready') noted.delete(name);
    else if (c?.state === 'connecting' || c?.state === 'restarting') notes.push(`${name} (still ${c.state})`);
    else if (c?.state === 'failed' && !noted.has(name)) {
      noted.add(name);
      notes.push(`${name} (${c.config.blocked !== undefined ? 'blocked by the managed policy' : 'failed'})`);
    }
  }
  return notes.length > 0 ? `sent without the tools of ${notes.join(', ')}` : undefined;
}
