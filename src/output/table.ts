// Plain aligned columns for terminal listings (no colour, no box drawing: pipes and narrow terminals stay readable).
// Cells are made terminal-safe first, so widths are those of the text as shown (see safe-text.ts).
import { safeText } from './safe-text.js';

/** Pads every column but the last to its widest cell. */
export function formatTable(given: readonly (readonly string[])[], gap = 2): string {
  const rows = given.map((row) => row.map(safeText));
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell) + gap)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

function displayWidth(text: string): number {
  return [...text].length;
}

/** One line of at most `max` characters. */
export function oneLine(text: string | undefined, max = 100): string {
  const flat = safeText(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
