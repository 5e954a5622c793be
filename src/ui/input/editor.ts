// The prompt's text editing, as pure functions over { text, cursor }: multi-line, word moves, kill
// keys, and large pastes kept as a one-line placeholder until the message is sent.

export interface EditorState {
  text: string;
  /** Index into `text` (UTF-16 units, always on a code point boundary). */
  cursor: number;
  /** Placeholder → pasted text. */
  pastes: Record<string, string>;
  pasteCount: number;
}

export const EMPTY_EDITOR: EditorState = { text: '', cursor: 0, pastes: {}, pasteCount: 0 };

/** Pastes longer than this (characters or lines) become a placeholder in the prompt. */
export const PASTE_PLACEHOLDER_CHARS = 800;
export const PASTE_PLACEHOLDER_LINES = 8;

export function editorFromText(text: string): EditorState {
  return { ...EMPTY_EDITOR, text, cursor: text.length };
}

export function insertText(s: EditorState, str: string): EditorState {
  return { ...s, text: s.text.slice(0, s.cursor) + str + s.text.slice(s.cursor), cursor: s.cursor + str.length };
}

/** Terminals send pasted line breaks as \r; big pastes become `[pasted text #1: 120 lines]`. */
export function insertPaste(s: EditorState, raw: string): EditorState {
  const text = raw.replace(/\r\n?/g, '\n');
  const lines = text.replace(/\n$/, '').split('\n').length;
  if (text.length <= PASTE_PLACEHOLDER_CHARS && lines <= PASTE_PLACEHOLDER_LINES) return insertText(s, text);
  const n = s.pasteCount + 1;
  const placeholder = `[pasted text #${n}: ${lines} line${lines === 1 ? '' : 's'}, ${text.length} chars]`;
  return { ...insertText(s, placeholder), pastes: { ...s.pastes, [placeholder]: text }, pasteCount: n };
}

/** The text to send, with placeholders replaced by what was pasted. */
export function expandPastes(s: EditorState): string {
  let out = s.text;
  for (const [placeholder, content] of Object.entries(s.pastes)) out = out.split(placeholder).join(content);
  return out;
}

function prevIndex(text: string, i: number): number {
  if (i <= 0) return 0;
  const code = text.charCodeAt(i - 1);
  return i >= 2 && code >= 0xdc00 && code <= 0xdfff ? i - 2 : i - 1;
}

function nextIndex(text: string, i: number): number {
  if (i >= text.length) return text.length;
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? i + 2 : i + 1;
}

export function backspace(s: EditorState): EditorState {
  if (s.cursor === 0) return s;
  const before = s.text.slice(0, s.cursor);
  // A placeholder goes as a whole: half a placeholder would paste nothing.
  const placeholder = Object.keys(s.pastes).find((p) => before.endsWith(p));
  if (placeholder) {
    const { [placeholder]: _removed, ...pastes } = s.pastes;
    const start = s.cursor - placeholder.length;
    return { ...s, text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start, pastes };
  }
  const start = prevIndex(s.text, s.cursor);
  return { ...s, text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start };
}

export function deleteForward(s: EditorState): EditorState {
  if (s.cursor >= s.text.length) return s;
  return { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(nextIndex(s.text, s.cursor)) };
}

export function moveLeft(s: EditorState): EditorState {
  return { ...s, cursor: prevIndex(s.text, s.cursor) };
}

export function moveRight(s: EditorState): EditorState {
  return { ...s, cursor: nextIndex(s.text, s.cursor) };
}

export function wordLeft(s: EditorState): EditorState {
  let i = s.cursor;
  while (i > 0 && /\s/.test(s.text[i - 1] ?? '')) i--;
  while (i > 0 && !/\s/.test(s.text[i - 1] ?? '')) i--;
  return { ...s, cursor: i };
}

export function wordRight(s: EditorState): EditorState {
  let i = s.cursor;
  while (i < s.text.length && /\s/.test(s.text[i] ?? '')) i++;
  while (i < s.text.length && !/\s/.test(s.text[i] ?? '')) i++;
  return { ...s, cursor: i };
}

function lineStartOf(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}

function lineEndOf(text: string, i: number): number {
  const end = text.indexOf('\n', i);
  return end === -1 ? text.length : end;
}

export function lineStart(s: EditorState): EditorState {
  return { ...s, cursor: lineStartOf(s.text, s.cursor) };
}

export function lineEnd(s: EditorState): EditorState {
  return { ...s, cursor: lineEndOf(s.text, s.cursor) };
}

/** Ctrl+U: deletes from the start of the line to the cursor. */
export function killToLineStart(s: EditorState): EditorState {
  const start = lineStartOf(s.text, s.cursor);
  return { ...s, text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start };
}

/** Ctrl+K: deletes from the cursor to the end of the line. */
export function killToLineEnd(s: EditorState): EditorState {
  const end = lineEndOf(s.text, s.cursor);
  return { ...s, text: s.text.slice(0, s.cursor) + s.text.slice(end === s.cursor ? nextIndex(s.text, end) : end) };
}

/** Ctrl+W: deletes the word before the cursor. */
export function deleteWordBack(s: EditorState): EditorState {
  const start = wordLeft(s).cursor;
  return { ...s, text: s.text.slice(0, start) + s.text.slice(s.cursor), cursor: start };
}

export function cursorPosition(s: EditorState): { line: number; column: number } {
  const before = s.text.slice(0, s.cursor);
  const line = before.split('\n').length - 1;
  return { line, column: [...before.slice(lineStartOf(s.text, s.cursor))].length };
}

/** The cursor one line up, at the same column where possible; undefined on the first line. */
export function moveUp(s: EditorState): EditorState | undefined {
  const start = lineStartOf(s.text, s.cursor);
  if (start === 0) return undefined;
  return { ...s, cursor: columnIn(s.text, lineStartOf(s.text, start - 1), [...s.text.slice(start, s.cursor)].length) };
}

/** The cursor one line down; undefined on the last line. */
export function moveDown(s: EditorState): EditorState | undefined {
  const end = lineEndOf(s.text, s.cursor);
  if (end >= s.text.length) return undefined;
  return { ...s, cursor: columnIn(s.text, end + 1, [...s.text.slice(lineStartOf(s.text, s.cursor), s.cursor)].length) };
}

function columnIn(text: string, start: number, column: number): number {
  const end = lineEndOf(text, start);
  let i = start;
  for (let c = 0; c < column && i < end; c++) i = nextIndex(text, i);
  return i;
}
