// The one rule for text of outside origin (servers, models, config files, HTTP bodies) on its way to a
// terminal: nothing in it can act as a control sequence (move the cursor, clear, retitle the window,
// write the clipboard, reorder or hide text). Control characters are shown as visible symbols instead.
//
// Made visible, character by character (so no sequence can start, whatever follows, even in the next chunk):
//   C0 controls other than \n and \t  → the Control Pictures U+2400–U+241F (ESC → ␛, BEL → ␇, CR → ␍)
//   DEL                               → ␡
//   C1 controls U+0080–U+009F         → ␛ and their 7-bit form (8-bit CSI U+009B → ␛[, OSC U+009D → ␛])
//   bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9) → <U+202E>
// Colour/style sequences (SGR, `ESC [ … m`) whole in one piece of text are dropped, not shown: servers'
// logs are full of them and they say nothing. CRLF becomes LF.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
// eslint-disable-next-line no-control-regex
const SGR = /(?:\u001b\[|\u009b)[0-9;:]*m/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  if (code <= 0x9f) return `\u241b${String.fromCharCode(code - 0x40)}`;
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * `text` that cannot act on a terminal: see the table at the top. Stateless and per character, so it is
 * safe on every chunk of a stream (a sequence split across chunks stays inert). Keeps \n and \t.
 */
export function safeText(text: string): string {
  // Most text has nothing to change: one scan, no copy.
  if (!UNSAFE.test(text)) return text;
  return text.replace(SGR, '').replace(/\r\n/g, '\n').replace(UNSAFE_ALL, visible);
}

/** `safeText`, with tabs as two spaces (Ink measures text, and a tab has no fixed width). */
export function terminalSafe(text: string): string {
  const safe = safeText(text);
  return safe.includes('\t') ? safe.replace(/\t/g, '  ') : safe;
}

/** One line (whitespace runs folded), safe for the terminal, at most `max` characters. */
export function safeLine(text: string, max = 120): string {
  const line = terminalSafe(text).replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}

// JSON.stringify escapes C0 controls but leaves DEL, C1 and bidi controls (and U+2028/9) raw.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * JSON for stdout: exactly what JSON.stringify gives, except that the characters it leaves raw and a
 * terminal would act on are written as \uXXXX escapes. Parsed, it is the same value; printed, it is inert
 * (and `safeText` leaves it unchanged).
 */
export function jsonText(value: unknown, space?: number): string {
  const text = JSON.stringify(value, null, space) ?? 'null';
  return text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
