// The prompt's editing model, key interpretation and persisted history, without a terminal.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import {
  backspace,
  cursorPosition,
  EMPTY_EDITOR,
  editorFromText,
  expandPastes,
  insertPaste,
  insertText,
  killToLineEnd,
  killToLineStart,
  deleteWordBack,
  moveDown,
  moveLeft,
  moveUp,
  wordLeft,
  type EditorState,
} from '../../../src/ui/input/editor.js';
import { historyNext, historyPrev, historyStart, PromptHistory } from '../../../src/ui/input/history.js';
import { interpretKey } from '../../../src/ui/input/input-keys.js';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (k: Partial<Key>): Key => ({ ...NO_KEY, ...k });

function edited(s: EditorState, input: string, k: Partial<Key> = {}): EditorState {
  const action = interpretKey(s, input, key(k), false);
  if (action.type !== 'edit') throw new Error(`expected an edit, got ${action.type}`);
  return action.editor;
}

describe('editor', () => {
  it('inserts, moves and deletes by code point (emoji stay whole)', () => {
    let s = insertText(EMPTY_EDITOR, 'a😀b');
    s = moveLeft(s);
    s = backspace(s);
    expect(s.text).toBe('ab');
    expect(s.cursor).toBe(1);
  });

  it('moves up and down between lines, keeping the column; at the edges it hands over to history', () => {
    const s = editorFromText('first line\nsecond');
    expect(cursorPosition(s)).toEqual({ line: 1, column: 6 });
    const up = moveUp(s);
    expect(up && cursorPosition(up)).toEqual({ line: 0, column: 6 });
    expect(up && moveUp(up)).toBeUndefined();
    expect(moveDown(s)).toBeUndefined();
  });

  it('kill keys and word deletion', () => {
    const s = editorFromText('one two three');
    expect(deleteWordBack(s).text).toBe('one two ');
    expect(killToLineStart(s).text).toBe('');
    expect(killToLineEnd({ ...s, cursor: 3 }).text).toBe('one');
    expect(wordLeft(s).cursor).toBe(8);
  });

  it('a large paste becomes a placeholder that expands on send and is deleted as a whole', () => {
    const big = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\r');
    const s = insertPaste(insertText(EMPTY_EDITOR, 'see: '), big);
    expect(s.text).toMatch(/^see: \[pasted text #1: 50 lines, \d+ chars\]$/);
    expect(expandPastes(s)).toBe(`see: ${big.replace(/\r/g, '\n')}`);
    expect(backspace(s).text).toBe('see: ');
    const small = insertPaste(EMPTY_EDITOR, 'a\rb');
    expect(small.text).toBe('a\nb');
  });
});

describe('interpretKey', () => {
  it('Enter sends; Alt+Enter, Ctrl+J and a trailing backslash add a line', () => {
    const s = editorFromText('hello');
    expect(interpretKey(s, '', key({ return: true }), false)).toEqual({ type: 'submit' });
    expect(edited(s, '', { return: true, meta: true }).text).toBe('hello\n');
    expect(edited(s, '\n').text).toBe('hello\n');
    expect(edited(editorFromText('hello\\'), '', { return: true }).text).toBe('hello\n');
  });

  it('text typed ahead together with Enter is sent; a multi-line chunk is a paste', () => {
    expect(interpretKey(EMPTY_EDITOR, 'hi there\r', NO_KEY, false)).toEqual({ type: 'submit', editor: editorFromText('hi there') });
    expect(edited(EMPTY_EDITOR, 'a\rb\r').text).toBe('a\nb\n');
  });

  it('Ctrl+C interrupts; Ctrl+D exits only on an empty prompt, else deletes forward', () => {
    expect(interpretKey(editorFromText('x'), 'c', key({ ctrl: true }), false).type).toBe('interrupt');
    expect(interpretKey(EMPTY_EDITOR, 'd', key({ ctrl: true }), false).type).toBe('eof');
    expect(edited({ ...editorFromText('ab'), cursor: 0 }, 'd', { ctrl: true }).text).toBe('b');
  });

  it('Backspace arrives as delete (0x7f) and deletes backwards', () => {
    expect(edited(editorFromText('ab'), '', { delete: true }).text).toBe('a');
  });

  it('↑ on the first line asks for history', () => {
    expect(interpretKey(editorFromText('x'), '', key({ upArrow: true }), false)).toEqual({ type: 'history', direction: 'prev' });
  });

  it('bracketed paste markers switch to paste mode, where Enter is a newline', () => {
    expect(interpretKey(EMPTY_EDITOR, '[200~', NO_KEY, false).type).toBe('paste_start');
    expect(interpretKey(EMPTY_EDITOR, '', key({ return: true }), true)).toEqual({ type: 'paste_data', text: '\n' });
    expect(interpretKey(EMPTY_EDITOR, '[201~', NO_KEY, true).type).toBe('paste_end');
  });
});

describe('history', () => {
  it('walks back and forth and returns to the draft', () => {
    const entries = ['one', 'two'];
    const back1 = historyPrev(entries, historyStart(entries), 'draft');
    expect(back1?.text).toBe('two');
    const back2 = back1 && historyPrev(entries, back1.cursor, back1.text);
    expect(back2?.text).toBe('one');
    expect(back2 && historyPrev(entries, back2.cursor, 'one')).toBeUndefined();
    const fwd = back2 && historyNext(entries, back2.cursor);
    expect(fwd?.text).toBe('two');
    const draft = fwd && historyNext(entries, fwd.cursor);
    expect(draft?.text).toBe('draft');
  });

  it('persists across sessions as JSONL, keeps multi-line entries, skips repeats and damaged lines', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mcpsh-history-')), 'state', 'history.jsonl');
    const h = new PromptHistory(file);
    h.add('first');
    h.add('two\nlines');
    h.add('two\nlines');
    expect(readFileSync(file, 'utf8')).toBe('"first"\n"two\\nlines"\n');
    writeFileSync(file, `${readFileSync(file, 'utf8')}{broken\n`);
    expect(new PromptHistory(file).all).toEqual(['first', 'two\nlines']);
  });

  it('is bounded: the file is rewritten with the newest entries when it grows past twice the limit', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mcpsh-history-')), 'history.jsonl');
    const h = new PromptHistory(file, 5);
    for (let i = 0; i < 12; i++) h.add(`entry ${i}`);
    expect(h.all).toEqual(['entry 7', 'entry 8', 'entry 9', 'entry 10', 'entry 11']);
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBeLessThanOrEqual(10);
    expect(new PromptHistory(file, 5).all).toEqual(h.all);
  });
});
