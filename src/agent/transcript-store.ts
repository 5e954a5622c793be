// Chat transcripts on disk: one JSONL file per session in the XDG state dir; `mcpsh chat --resume [id]` reads
// one back. Each message is written as it is added, off the main thread (transcript-writer.ts): in order, and
// whatever is still unwritten when the process exits is written synchronously then, so a chat that ends (or is
// stopped by a signal) mid-way has every message it added. Only a SIGKILL can cut the last few off.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { ensurePrivateDir } from '../files/private-dir.js';
import type { ChatMessage } from '../model/types.js';
import { TranscriptWriter } from './transcript-writer.js';

export interface TranscriptMeta {
  id: string;
  startedAt: string;
  cwd: string;
  agent: string | null;
  model: string | null;
}

type Line = { kind: 'meta'; meta: TranscriptMeta } | { kind: 'message'; at: string; message: ChatMessage };

export interface SavedTranscript {
  meta: TranscriptMeta;
  messages: ChatMessage[];
  file: string;
}

export class TranscriptStore {
  private readonly writer: TranscriptWriter;

  private constructor(
    readonly file: string,
    readonly meta: TranscriptMeta,
    private readonly redact: (text: string) => string,
  ) {
    this.writer = new TranscriptWriter(file);
  }

  /** Starts a new transcript file (or continues `resumed`, appending to its file). */
  static start(
    dir: string,
    meta: Omit<TranscriptMeta, 'id' | 'startedAt'>,
    redact: (text: string) => string,
    resumed?: SavedTranscript,
  ): TranscriptStore {
    ensurePrivateDir(dir);
    if (resumed) return new TranscriptStore(resumed.file, resumed.meta, redact);
    const startedAt = new Date().toISOString();
    const id = `${startedAt.replace(/[-:]/g, '').replace(/\..*/, '')}-${Math.random().toString(36).slice(2, 6)}`;
    const store = new TranscriptStore(join(dir, `${id}.jsonl`), { id, startedAt, ...meta }, redact);
    store.write({ kind: 'meta', meta: store.meta });
    return store;
  }

  /** Adds a message; it is written in the background. Throws when an earlier write failed (saving has stopped). */
  append(message: ChatMessage): void {
    this.write({ kind: 'message', at: new Date().toISOString(), message });
  }

  /** Resolves once every message added so far is in the file (rejects when a write failed). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  private write(line: Line): void {
    // Secrets (env-interpolated values, keys, tokens) never reach the file.
    this.writer.write(`${this.redact(JSON.stringify(line))}\n`);
  }

  /** The transcript with this id, or the most recent one when id is undefined. */
  static load(dir: string, id?: string): SavedTranscript {
    const ids = TranscriptStore.list(dir).map((t) => t.id);
    const wanted = id ?? ids[0];
    if (wanted === undefined || !ids.includes(wanted)) {
      throw new AppError('USAGE', id ? `no saved chat with id ${id}` : 'there is no saved chat to resume yet', {
        hint:
          ids.length > 0
            ? `saved chats (newest first): ${ids.slice(0, 5).join(', ')}`
            : 'chats are saved as you talk; start one with `mcpsh`',
      });
    }
    const file = join(dir, `${wanted}.jsonl`);
    let meta: TranscriptMeta | undefined;
    const messages: ChatMessage[] = [];
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      if (!raw.trim()) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // a line cut short by a crash: everything before it still counts
      }
      if (line.kind === 'meta') meta = line.meta;
      else if (line.kind === 'message') messages.push(line.message);
    }
    return { meta: meta ?? { id: wanted, startedAt: '', cwd: '', agent: null, model: null }, messages: completeToolCalls(messages), file };
  }

  /** Saved transcripts, newest first. */
  static list(dir: string): Array<{ id: string; modifiedAt: Date }> {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
    } catch {
      return [];
    }
    return names
      .map((n) => ({ id: n.slice(0, -'.jsonl'.length), modifiedAt: statSync(join(dir, n)).mtime }))
      .sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime());
  }
}

/** A crash between a tool call and its result leaves calls unanswered; providers reject that, so close them. */
function completeToolCalls(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as ChatMessage;
    out.push(m);
    if (m.role !== 'assistant' || !m.toolCalls?.length) continue;
    const answered = new Set<string>();
    for (let j = i + 1; j < messages.length && messages[j]?.role === 'tool'; j++)
      answered.add((messages[j] as { toolCallId: string }).toolCallId);
    const missing = m.toolCalls.filter((c) => !answered.has(c.id));
    if (missing.length === 0) continue;
    // Insert the missing results right after the results that were saved.
    let k = i + 1;
    while (k < messages.length && messages[k]?.role === 'tool') out.push(messages[k++] as ChatMessage);
    i = k - 1;
    for (const c of missing) out.push({ role: 'tool', toolCallId: c.id, content: 'The session ended before this call finished.' });
  }
  return out;
}
