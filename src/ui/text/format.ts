// Small text helpers for the chat: durations, token counts, one-line argument summaries, previews
// and progress bars, all measured in terminal columns so narrow terminals stay readable.
import { stripAnsi } from './ansi.js';

/** Columns a string takes, ignoring ANSI codes (wide characters count as one: close enough here). */
export function columns(text: string): number {
  return [...stripAnsi(text)].length;
}

/** One line of at most `max` columns, ending in … when cut. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ');
  const chars = [...flat];
  if (max <= 1) return chars.length > 0 ? '…' : '';
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** `key: value, key: value` on one line; JSON for anything that is not a plain object. */
export function summarizeArgs(args: unknown, max: number): string {
  if (args === undefined || args === null) return '';
  if (typeof args !== 'object' || Array.isArray(args)) return truncate(typeof args === 'string' ? args : safeJson(args), max);
  const parts = Object.entries(args as Record<string, unknown>).map(
    ([key, value]) => `${key}: ${typeof value === 'string' ? JSON.stringify(value) : safeJson(value)}`,
  );
  return truncate(parts.join(', '), max);
}

export function safeJson(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The first `maxLines` non-empty lines of `text`, each cut to `width` where a person can read the cut: after a
 * whole word, never on an opening bracket. A last line that only opens a structure (`{`, `"rows": [`) is
 * filled with what follows, so a preview of JSON never ends on a lone `{`. `more` tells whether anything was left out.
 */
export function preview(text: string, maxLines: number, width: number): { lines: string[]; more: boolean } {
  const all = text.split('\n').map((l) => l.trimEnd());
  // Table rules (----+----) say nothing in two lines of preview.
  const nonEmpty = all.filter((l) => l.trim() !== '' && !/^[\s\-=+|:]+$/.test(l));
  const kept = nonEmpty.slice(0, Math.max(0, maxLines));
  const last = kept.length - 1;
  if (last >= 0 && nonEmpty.length > kept.length && OPENS.test(kept[last] as string)) {
    kept[last] = [kept[last] as string, ...nonEmpty.slice(kept.length).map((l) => l.trim())].join(' ');
  }
  const lines = kept.map((l) => cutReadable(l, width));
  const more = nonEmpty.length > maxLines || lines.some((l, i) => l !== nonEmpty[i]);
  return { lines, more };
}

/** A line that ends by opening a bracket: alone, it shows nothing of what it opens. */
const OPENS = /[[{(]\s*$/;

/**
 * One line of at most `width` columns, cut after a whole word when one ends in the second half of the room, and
 * never left ending on an opening bracket, a key's colon or a comma; `…` marks the cut.
 */
export function cutReadable(line: string, width: number): string {
  const chars = [...line];
  if (chars.length <= width) return line;
  if (width <= 1) return '…';
  const room = chars.slice(0, width - 1);
  let cut = room.length;
  for (let i = room.length; i >= Math.ceil(room.length / 2); i--) {
    // A boundary: before a space, or right after punctuation that ends a phrase or a JSON value.
    if (chars[i] === ' ' || /[,;)\]}]/.test(room[i - 1] ?? '')) {
      cut = i;
      break;
    }
  }
  const tidy = (s: string): string => s.replace(/[\s[{(:,;]+$/u, '');
  const head = tidy(room.slice(0, cut).join('')) || tidy(room.join('')) || room.join('');
  return `${head}…`;
}

/** `█████░░░░░` for progress of total (or a position marker when the total is unknown). */
export function progressBar(progress: number, total: number | undefined, width: number): string {
  const cells = Math.max(4, width);
  if (total === undefined || total <= 0) {
    const pos = Math.floor(progress) % cells;
    return '░'.repeat(pos) + '█' + '░'.repeat(cells - pos - 1);
  }
  const filled = Math.max(0, Math.min(cells, Math.round((progress / total) * cells)));
  return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
