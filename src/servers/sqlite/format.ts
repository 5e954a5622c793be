// Turns SQLite values into JSON-safe cells and rows into an aligned text table a person (or a model) can read.
// The structured result keeps full values; only the text rendering shortens long cells.

export type Cell = string | number | null;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const BLOB_INLINE_BYTES = 64;
const TEXT_CELL_WIDTH = 60;

/** JSON has no integers beyond 2^53 and no blobs: big integers become decimal strings, blobs a hex literal or a size. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) {
    return value.length <= BLOB_INLINE_BYTES ? `X'${value.toString('hex').toUpperCase()}'` : `<blob ${value.length} bytes>`;
  }
  // better-sqlite3 only yields the types above; anything else would be a driver change, so show it as JSON.
  return JSON.stringify(value) ?? null;
}

/** Display width in terminal columns, counting a grapheme once (Vietnamese diacritics may be combining marks). */
function width(text: string): number {
  return [...text.normalize('NFC')].length;
}

function shorten(text: string, max: number): string {
  const chars = [...text.normalize('NFC')];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** One line per row: newlines and tabs are shown escaped, long text is cut. */
function oneLine(text: string): string {
  return shorten(text.replace(/\r?\n/g, '\\n').replace(/\t/g, '\\t'), TEXT_CELL_WIDTH);
}

function display(cell: Cell): string {
  if (cell === null) return 'NULL';
  if (typeof cell === 'number') return String(cell);
  return oneLine(cell);
}

/** An aligned table: numbers right-aligned, NULL spelled out, a row count (and a truncation notice) underneath. */
export function formatTable(columns: string[], rows: Cell[][], truncated: boolean, maxRows: number): string {
  const header = columns.map(oneLine);
  const body = rows.map((row) => row.map(display));
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i] ?? ''))));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null));
  const pad = (text: string, i: number): string => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(text)));
    return numeric[i] ? gap + text : text + gap;
  };
  const lines = [
    header.map(pad).join(' | ').trimEnd(),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...body.map((r) => r.map(pad).join(' | ').trimEnd()),
  ];
  const count = `(${rows.length} row${rows.length === 1 ? '' : 's'})`;
  lines.push(
    truncated
      ? `${count} truncated: only the first ${maxRows} rows are shown; add a LIMIT, a narrower WHERE or an aggregate to see the rest`
      : count,
  );
  return lines.join('\n');
}
