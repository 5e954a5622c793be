// What `mcpsh sessions` and the chat's /resume picker show of each saved chat: when, where, the first
// prompt and the size, read from the JSONL files of transcript-store.ts in one bounded pass per file.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessage } from '../model/types.js';
import { TranscriptStore, type TranscriptMeta } from './transcript-store.js';

export interface TranscriptSummary {
  id: string;
  /** When the chat began (ISO 8601), or null when its first line was lost. */
  startedAt: string | null;
  /** When a message was last added (the file's modification time, ISO 8601). */
  updatedAt: string;
  cwd: string | null;
  agent: string | null;
  model: string | null;
  /** The first thing the person sent, on one line and cut (null before anything was sent). */
  firstPrompt: string | null;
  /** Every saved message: the person's, the model's and tool results. */
  messages: number;
  /** The messages the person sent. */
  userMessages: number;
  bytes: number;
}

export interface TranscriptListing {
  sessions: TranscriptSummary[];
  /** Saved chats in all, shown or not. */
  total: number;
}

/** Longest first prompt kept (characters, after folding whitespace). */
export const FIRST_PROMPT_CHARS = 200;
/** The part of a line kept to read the meta line or the first prompt: a pasted megabyte is not parsed. */
const KEEP_LINE_BYTES = 256 * 1024;
const CHUNK_BYTES = 64 * 1024;
/** Enough of a message line to read its role. */
const ROLE_BYTES = 200;
const MESSAGE_LINE = /^\{"kind":"message","at":"[^"]*","message":\{"role":"(\w+)"/;

/** The newest `limit` saved chats (all without a limit), newest first. */
export function listTranscripts(dir: string, limit?: number): TranscriptListing {
  const all = TranscriptStore.list(dir);
  const shown = limit === undefined ? all : all.slice(0, limit);
  const sessions: TranscriptSummary[] = [];
  for (const t of shown) {
    try {
      sessions.push(summarizeTranscript(join(dir, `${t.id}.jsonl`), t.id));
    } catch {
      // Removed or unreadable since it was listed: it is not a chat that can be resumed either.
    }
  }
  return { sessions, total: all.length };
}

export function summarizeTranscript(file: string, id: string): TranscriptSummary {
  const stat = statSync(file);
  let meta: Partial<TranscriptMeta> = {};
  let firstPrompt: string | null = null;
  let messages = 0;
  let userMessages = 0;
  // Once the meta line and the first prompt are read, only the start of each line is needed (its role).
  const keep = (): number => (firstPrompt === null || messages === 0 ? KEEP_LINE_BYTES : ROLE_BYTES);
  for (const { head, complete } of lines(file, keep)) {
    const role = MESSAGE_LINE.exec(head.subarray(0, ROLE_BYTES).toString('utf8'))?.[1];
    if (role !== undefined) {
      messages++;
      if (role !== 'user') continue;
      userMessages++;
      if (firstPrompt === null) firstPrompt = promptOf(head, complete);
    } else if (messages === 0 && complete && head.subarray(0, 16).toString('utf8').startsWith('{"kind":"meta"')) {
      try {
        meta = (JSON.parse(head.toString('utf8')) as { meta?: Partial<TranscriptMeta> }).meta ?? {};
      } catch {
        // A damaged first line: the chat is still listed, without its metadata.
      }
    }
  }
  return {
    id,
    startedAt: typeof meta.startedAt === 'string' && meta.startedAt !== '' ? meta.startedAt : null,
    updatedAt: stat.mtime.toISOString(),
    cwd: typeof meta.cwd === 'string' ? meta.cwd : null,
    agent: typeof meta.agent === 'string' ? meta.agent : null,
    model: typeof meta.model === 'string' ? meta.model : null,
    firstPrompt,
    messages,
    userMessages,
    bytes: stat.size,
  };
}

/** Each line's first `limit()` bytes, and whether that is all of it; the file is read in chunks. */
function* lines(file: string, limit: () => number): Generator<{ head: Buffer; complete: boolean }> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let parts: Buffer[] = [];
    let kept = 0;
    let complete = true;
    const keep = (piece: Buffer): void => {
      const room = limit() - kept;
      if (piece.length > room) complete = false;
      const taken = Buffer.from(piece.subarray(0, Math.max(0, room)));
      if (taken.length > 0) parts.push(taken);
      kept += taken.length;
    };
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      let start = 0;
      for (let nl = chunk.indexOf(0x0a, start); nl !== -1 && nl < read; nl = chunk.indexOf(0x0a, start)) {
        keep(chunk.subarray(start, nl));
        yield { head: Buffer.concat(parts), complete };
        parts = [];
        kept = 0;
        complete = true;
        start = nl + 1;
      }
      keep(chunk.subarray(start, read));
    }
    // A last line without its newline was cut short by a crash: it does not count as a message.
  } finally {
    closeSync(fd);
  }
}

/** The text of a user message line, folded onto one line; a line too long to parse gives its readable start. */
function promptOf(head: Buffer, complete: boolean): string {
  let text: string;
  if (complete) {
    try {
      const line = JSON.parse(head.toString('utf8')) as { message?: ChatMessage };
      text = line.message ? messageText(line.message) : '';
    } catch {
      text = partialContent(head.toString('utf8'));
    }
  } else {
    text = partialContent(head.toString('utf8'));
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > FIRST_PROMPT_CHARS ? `${flat.slice(0, FIRST_PROMPT_CHARS - 1)}…` : flat;
}

/** The text a person typed: the string, or the first text part (attachments follow it). */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  const part = message.content.find((p) => p.type === 'text');
  return part?.type === 'text' ? part.text : '';
}

/** The start of a JSON string value `"content":"…` (or a first text part) in a line cut short. */
function partialContent(line: string): string {
  const match = /"(?:content|text)":"((?:[^"\\]|\\.){0,4000})/.exec(line);
  if (!match) return '';
  const body = (match[1] ?? '').replace(/\\u[0-9a-fA-F]{0,3}$|\\$/, '');
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return '';
  }
}
