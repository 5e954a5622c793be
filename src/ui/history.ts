// Prompt history for ↑/↓, kept across sessions in the XDG state dir (history.jsonl: one JSON string per
// line, so multi-line prompts survive), bounded: the file is rewritten when it grows past twice the limit.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const HISTORY_MAX = 500;
/** Longer prompts are not kept (a huge paste would bloat every later start). */
const ENTRY_MAX_CHARS = 10_000;

export class PromptHistory {
  private entries: string[] = [];
  private fileLines = 0;

  constructor(
    private readonly file: string | undefined,
    private readonly max = HISTORY_MAX,
  ) {
    if (file) this.load(file);
  }

  get all(): readonly string[] {
    return this.entries;
  }

  add(text: string): void {
    const entry = text.trim() === '' ? '' : text;
    if (entry === '' || entry.length > ENTRY_MAX_CHARS || this.entries.at(-1) === entry) return;
    this.entries.push(entry);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      if (this.fileLines + 1 > this.max * 2) {
        writeFileSync(this.file, this.entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
        this.fileLines = this.entries.length;
      } else {
        appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
        this.fileLines += 1;
      }
    } catch {
      // History is a convenience: a read-only home must not break the chat.
    }
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    this.fileLines = lines.length;
    for (const line of lines) {
      try {
        const value: unknown = JSON.parse(line);
        if (typeof value === 'string' && value !== '') this.entries.push(value);
      } catch {
        // A damaged line (a crash mid-write) is skipped.
      }
    }
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
  }
}

/** Walking the history with ↑/↓ while keeping what was being typed (the draft) to come back to. */
export interface HistoryCursor {
  /** entries.length means "the draft". */
  index: number;
  draft: string;
}

export function historyStart(entries: readonly string[]): HistoryCursor {
  return { index: entries.length, draft: '' };
}

/** The older entry, or undefined at the oldest. `current` is the prompt's text now (saved as the draft). */
export function historyPrev(entries: readonly string[], cursor: HistoryCursor, current: string): { cursor: HistoryCursor; text: string } | undefined {
  if (cursor.index <= 0 || entries.length === 0) return undefined;
  const draft = cursor.index >= entries.length ? current : cursor.draft;
  const index = Math.min(cursor.index, entries.length) - 1;
  return { cursor: { index, draft }, text: entries[index] ?? '' };
}

export function historyNext(entries: readonly string[], cursor: HistoryCursor): { cursor: HistoryCursor; text: string } | undefined {
  if (cursor.index >= entries.length) return undefined;
  const index = cursor.index + 1;
  return { cursor: { index, draft: cursor.draft }, text: index >= entries.length ? cursor.draft : (entries[index] ?? '') };
}
