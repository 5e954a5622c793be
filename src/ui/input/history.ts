// Prompt history for ↑/↓, kept across sessions in the XDG state dir (history.jsonl: one JSON string per
// line, so multi-line prompts survive), bounded: the file is rewritten when it grows past twice the limit.
// The file is private (0600 in a 0700 dir), secrets are masked before they reach it, and appends and the
// rewrite share one cross-process lock so two chats at once lose nothing and never see half a file.
import { appendFileSync, chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { withFileLockSync, writeFileAtomicSync } from '../../files/atomic.js';
import { ensurePrivateDir } from '../../files/private-dir.js';
import { redact } from '../../policy/redact.js';

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
    if (this.file) this.save(this.file, entry);
  }

  private save(file: string, entry: string): void {
    try {
      ensurePrivateDir(dirname(file));
      // A key pasted into the prompt stays in memory for ↑ in this session, but never reaches the disk.
      const line = `${JSON.stringify(redact(entry))}\n`;
      withFileLockSync(file, () => {
        if (this.fileLines + 1 > this.max * 2) this.fileLines = compact(file, line, this.max);
        else {
          appendFileSync(file, line, { mode: 0o600 });
          this.fileLines += 1;
        }
      });
    } catch {
      // History is a convenience: a read-only home or a full disk must not break the chat.
    }
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    tightenMode(file);
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

/** Rewrites the file (inside its lock) to its newest `max - 1` lines plus `line`; returns the new line count. */
function compact(file: string, line: string, max: number): number {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // No file yet: the compacted history is the new line alone.
  }
  const kept = current
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-(max - 1));
  writeFileAtomicSync(file, `${kept.map((l) => `${l}\n`).join('')}${line}`, { mode: 0o600 });
  return kept.length + 1;
}

/** A history file from before it was private (0644) becomes 0600. */
function tightenMode(file: string): void {
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch {
    // Not ours or gone: reading it was what mattered.
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
export function historyPrev(
  entries: readonly string[],
  cursor: HistoryCursor,
  current: string,
): { cursor: HistoryCursor; text: string } | undefined {
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
