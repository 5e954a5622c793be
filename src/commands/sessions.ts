// `mcpsh sessions`: the saved chats, newest first — id, when, the first prompt and the size — so one
// can be continued with `mcpsh --resume <id>`. Reads only the state dir: no config, no servers.
import { join } from 'node:path';
import type { GlobalOptions } from '../options.js';
import { listTranscripts, type TranscriptSummary } from '../agent/transcript-summary.js';
import { writeLine, type Io } from '../io.js';
import { formatBytes } from '../mcp/render-result.js';
import { localTime } from '../output/local-time.js';
import { jsonText } from '../output/safe-text.js';
import { formatTable, oneLine } from '../output/table.js';
import { textIo } from '../output/terminal-io.js';
import { appPaths } from '../paths.js';

export interface SessionsOptions extends GlobalOptions {
  json?: boolean;
  limit?: number;
}

export const DEFAULT_SESSIONS_LIMIT = 20;

export function sessionsDir(env: NodeJS.ProcessEnv): string {
  return join(appPaths(env).state, 'sessions');
}

export function runSessions(opts: SessionsOptions, rawIo: Io): Promise<number> {
  // Prompts are the person's (or a server prompt's) text: they pass the output boundary like any outside text.
  const io = textIo(rawIo);
  const dir = sessionsDir(io.env);
  const listing = listTranscripts(dir, opts.limit ?? DEFAULT_SESSIONS_LIMIT);
  if (opts.json) {
    writeLine(io.stdout, jsonText({ dir, total: listing.total, sessions: listing.sessions }, 2));
    return Promise.resolve(0);
  }
  if (listing.total === 0) {
    writeLine(io.stdout, `no saved chats yet (in ${dir}); chats are saved as you talk: start one with \`mcpsh\``);
    return Promise.resolve(0);
  }
  const width = io.stdout.isTTY === true && typeof io.stdout.columns === 'number' ? io.stdout.columns : 120;
  const rows = listing.sessions.map((s) => [
    s.id,
    localTime(s.updatedAt),
    String(s.userMessages),
    String(s.messages),
    formatBytes(s.bytes),
  ]);
  // The prompt takes what the other columns leave (at least 20 characters).
  const used = Math.max(
    ...[['id', 'last active', 'turns', 'messages', 'size'], ...rows].map((r) => r.reduce((n, c) => n + c.length + 2, 0)),
  );
  const room = Math.max(20, width - used - 1);
  const table = formatTable([
    ['id', 'last active', 'turns', 'messages', 'size', 'first prompt'],
    ...listing.sessions.map((s, i) => [...(rows[i] ?? []), promptCell(s, room)]),
  ]);
  const more = listing.total - listing.sessions.length;
  const footer = [
    '',
    ...(more > 0 ? [`${more} older chat${more === 1 ? '' : 's'} not shown (mcpsh sessions --limit ${listing.total})`] : []),
    'continue one with: mcpsh --resume <id>   (or /resume in the chat)',
  ];
  writeLine(io.stdout, [table, ...footer].join('\n'));
  return Promise.resolve(0);
}

function promptCell(s: TranscriptSummary, room: number): string {
  if (s.firstPrompt === null) return '(nothing sent)';
  return oneLine(s.firstPrompt, room);
}
