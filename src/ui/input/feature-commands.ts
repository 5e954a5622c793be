// /resources [server] and /logs [server] [n]: a server's resources and templates, and the end of its log
// (stdio stderr and MCP log messages share one file per server), bounded and redacted.
import { existsSync } from 'node:fs';
import { AppError, errorMessage } from '../../errors.js';
import { tail } from '../../files/tail.js';
import { renderResources, type ResourceListing } from '../../mcp/feature-text.js';
import { redact } from '../../policy/redact.js';
import { closestMatch } from '../../suggest.js';
import { terminalSafe } from '../../output/safe-text.js';
import type { CommandContext, CommandResult, CommandView } from './slash-actions.js';

export const DEFAULT_LOG_LINES = 30;
/** With no server named, each of the chat's servers shows this many lines. */
const PER_SERVER_LOG_LINES = 10;
const MAX_LOG_LINES = 1000;

function profileServer(name: string, ctx: CommandContext): string {
  if (ctx.profileServers().includes(name)) return name;
  const close = closestMatch(name, ctx.profileServers());
  throw new AppError('USAGE', `no server named "${name}" in this chat${close ? ` (did you mean "${close}"?)` : ''}`, {
    hint: `servers: ${ctx.profileServers().join(', ') || '(none)'}`,
  });
}

export async function resourcesCommand(arg: string, ctx: CommandContext, view: CommandView): Promise<CommandResult> {
  const named = arg === '' ? undefined : profileServer(arg, ctx);
  const names = named !== undefined ? [named] : [...ctx.profileServers()];
  const listings: ResourceListing[] = [];
  const notes: string[] = [];
  for (const name of names) {
    const c = ctx.hub.get(name);
    if (c?.state !== 'ready') {
      notes.push(`${name}: ${c?.state === 'failed' ? `failed: ${c.error ?? 'unknown reason'}` : 'not ready yet'}`);
      continue;
    }
    if (!c.capabilities?.resources) {
      if (named !== undefined) notes.push(`${name} offers no resources`);
      continue;
    }
    try {
      const [items, templates] = await Promise.all([c.features.resources(), c.features.resourceTemplates()]);
      listings.push({ server: name, items, templates });
    } catch (err) {
      notes.push(`${name}: ${errorMessage(err)}`);
    }
  }
  const body = listings.length > 0 || notes.length === 0 ? terminalSafe(renderResources(listings, view.width)).trimEnd() : '';
  const hint = listings.some((l) => l.items.length + l.templates.length > 0)
    ? ['', 'Attach one to a message with @server:uri (Tab completes).']
    : [];
  return { output: [body, ...hint, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n').trim(), table: view.width >= 80 };
}

/** `/logs [server] [n]`: the last n lines (default 30; 10 per server when none is named). */
export function logsCommand(arg: string, ctx: CommandContext): CommandResult {
  const words = arg.split(/\s+/).filter((w) => w !== '');
  const count = words.find((w) => /^\d+$/.test(w));
  const rest = words.filter((w) => w !== count);
  if (rest.length > 1) return { output: 'usage: /logs [server] [lines]', isError: true };
  const server = rest[0];
  const lines = Math.min(MAX_LOG_LINES, Math.max(1, Number(count ?? (server === undefined ? PER_SERVER_LOG_LINES : DEFAULT_LOG_LINES))));
  const names = server === undefined ? [...ctx.profileServers()] : [knownServer(server, ctx)];
  const out = names.map((name) => logSection(name, ctx.hub.get(name)?.logPath ?? '', lines));
  return { output: out.join('\n\n') || 'no servers' };
}

function knownServer(name: string, ctx: CommandContext): string {
  if (ctx.hub.get(name)) return name;
  const close = closestMatch(
    name,
    ctx.hub.connections.map((c) => c.name),
  );
  throw new AppError('USAGE', `no server named "${name}"${close ? ` (did you mean "${close}"?)` : ''}`, {
    hint: `servers: ${ctx.hub.connections.map((c) => c.name).join(', ')}`,
  });
}

function logSection(server: string, file: string, lines: number): string {
  if (!existsSync(file))
    return `${server}: no log yet (${file})\n  a stdio server's stderr and any server's log messages are written there`;
  const text = terminalSafe(redact(tail(file, lines))).trimEnd();
  if (text === '') return `${server}: the log is empty (${file})`;
  const shown = text.split('\n').length;
  return `${server} — last ${shown} line${shown === 1 ? '' : 's'} of ${file}\n${text}`;
}
