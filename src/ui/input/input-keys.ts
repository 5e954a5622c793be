// What a key press means for the prompt, as a pure function: editing, newline (Alt+Enter, Ctrl+J, or
// a trailing backslash), submit, history, completion, Ctrl+C / Ctrl+D, and bracketed paste markers.
import type { Key } from 'ink';
import {
  backspace,
  deleteForward,
  deleteWordBack,
  insertPaste,
  insertText,
  killToLineEnd,
  killToLineStart,
  lineEnd,
  lineStart,
  moveDown,
  moveLeft,
  moveRight,
  moveUp,
  wordLeft,
  wordRight,
  type EditorState,
} from './editor.js';

export type InputAction =
  | { type: 'edit'; editor: EditorState }
  /** Send the prompt; `editor` when the same chunk also typed text before the Enter. */
  | { type: 'submit'; editor?: EditorState }
  | { type: 'history'; direction: 'prev' | 'next' }
  | { type: 'complete'; editor?: EditorState }
  | { type: 'interrupt' }
  | { type: 'eof' }
  | { type: 'escape' }
  | { type: 'paste_start' }
  | { type: 'paste_end' }
  | { type: 'paste_data'; text: string }
  | { type: 'ignore' };

// Ink hands over bracketed paste markers with the ESC already stripped.
const PASTE_START = '[200~';
const PASTE_END = '[201~';

export function interpretKey(editor: EditorState, input: string, key: Key, pasting: boolean): InputAction {
  if (input === PASTE_START) return { type: 'paste_start' };
  if (input === PASTE_END) return { type: 'paste_end' };
  if (pasting) return { type: 'paste_data', text: key.return ? '\n' : input };

  if (key.ctrl && input === 'c') return { type: 'interrupt' };
  if (key.ctrl && input === 'd') return editor.text === '' ? { type: 'eof' } : { type: 'edit', editor: deleteForward(editor) };
  if (key.return) {
    if (key.meta) return { type: 'edit', editor: insertText(editor, '\n') };
    // A trailing backslash continues the message on a new line (works in every terminal).
    if (editor.text.slice(0, editor.cursor).endsWith('\\') && editor.cursor === editor.text.length) {
      return { type: 'edit', editor: insertText(backspace(editor), '\n') };
    }
    return { type: 'submit' };
  }
  if (input === '\n') return { type: 'edit', editor: insertText(editor, '\n') };
  if (key.tab) return key.shift ? { type: 'ignore' } : { type: 'complete' };
  if (key.escape) return { type: 'escape' };
  if (key.upArrow) {
    const moved = moveUp(editor);
    return moved ? { type: 'edit', editor: moved } : { type: 'history', direction: 'prev' };
  }
  if (key.downArrow) {
    const moved = moveDown(editor);
    return moved ? { type: 'edit', editor: moved } : { type: 'history', direction: 'next' };
  }
  if (key.leftArrow) return { type: 'edit', editor: key.ctrl || key.meta ? wordLeft(editor) : moveLeft(editor) };
  if (key.rightArrow) return { type: 'edit', editor: key.ctrl || key.meta ? wordRight(editor) : moveRight(editor) };
  if (key.home) return { type: 'edit', editor: lineStart(editor) };
  if (key.end) return { type: 'edit', editor: lineEnd(editor) };
  // Most terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
  if (key.backspace || key.delete) return { type: 'edit', editor: key.meta ? deleteWordBack(editor) : backspace(editor) };
  if (key.ctrl) {
    switch (input) {
      case 'a':
        return { type: 'edit', editor: lineStart(editor) };
      case 'e':
        return { type: 'edit', editor: lineEnd(editor) };
      case 'b':
        return { type: 'edit', editor: moveLeft(editor) };
      case 'f':
        return { type: 'edit', editor: moveRight(editor) };
      case 'u':
        return { type: 'edit', editor: killToLineStart(editor) };
      case 'k':
        return { type: 'edit', editor: killToLineEnd(editor) };
      case 'w':
        return { type: 'edit', editor: deleteWordBack(editor) };
      default:
        return { type: 'ignore' };
    }
  }
  if (key.meta && input === 'b') return { type: 'edit', editor: wordLeft(editor) };
  if (key.meta && input === 'f') return { type: 'edit', editor: wordRight(editor) };
  // eslint-disable-next-line no-control-regex
  const text = input.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  if (text === '') return { type: 'ignore' };
  // Typed-ahead text and Enter can arrive in one chunk: one line ending in Enter is typing, not a paste.
  if (/^[^\r\n\t]+\r$/.test(text)) return { type: 'submit', editor: insertText(editor, text.slice(0, -1)) };
  if (/^[^\r\n\t]+\t$/.test(text)) return { type: 'complete', editor: insertText(editor, text.slice(0, -1)) };
  // Otherwise more than one character at once is a paste (real pastes come bracketed, see Input).
  return { type: 'edit', editor: text.length > 1 ? insertPaste(editor, text) : insertText(editor, text) };
}
