// The prompt: multi-line editing (Enter sends; Alt+Enter, Ctrl+J or a trailing \ adds a line), ↑/↓
// history, Tab completion with hints for slash commands, and large pastes shown as a placeholder.
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { cursorPosition, EMPTY_EDITOR, editorFromText, expandPastes, insertPaste, type EditorState } from './editor.js';
import { truncate } from './format.js';
import { historyNext, historyPrev, historyStart, type HistoryCursor, type PromptHistory } from './history.js';
import { interpretKey } from './input-keys.js';
import { colorOf, SYMBOLS, useTheme } from './theme.js';

export interface InputProps {
  history: PromptHistory;
  /** Returns false to keep the text in the prompt (e.g. the model is still working). */
  onSubmit: (text: string) => boolean;
  /** Ctrl+C; returns true when it was used (a turn cancelled, exit armed), else a non-empty prompt is cleared. */
  onInterrupt: (promptEmpty: boolean) => boolean;
  /** Ctrl+D on an empty prompt. */
  onExit: () => void;
  complete?: (text: string) => { text: string; candidates: string[] };
  hints?: (text: string) => Array<{ usage: string; summary: string }>;
  width: number;
  placeholder?: string;
  isActive?: boolean;
  dim?: boolean;
  /** Most lines of the prompt shown at once (around the cursor). */
  maxLines?: number;
}

export function Input({ history, onSubmit, onInterrupt, onExit, complete, hints, width, placeholder, isActive = true, dim = false, maxLines = 8 }: InputProps): React.JSX.Element {
  const theme = useTheme();
  // Refs, not only state: several keys can arrive in one chunk, before React re-renders.
  const editorRef = useRef<EditorState>(EMPTY_EDITOR);
  const historyRef = useRef<HistoryCursor>(historyStart(history.all));
  const pasteRef = useRef<string | undefined>(undefined);
  const [editor, setEditorState] = useState<EditorState>(EMPTY_EDITOR);
  const [candidates, setCandidates] = useState<string[]>([]);

  const setEditor = (next: EditorState): void => {
    editorRef.current = next;
    setEditorState(next);
  };

  useInput(
    (input, key) => {
      const current = editorRef.current;
      const action = interpretKey(current, input, key, pasteRef.current !== undefined);
      if (action.type !== 'complete' && action.type !== 'ignore') setCandidates([]);
      switch (action.type) {
        case 'edit':
          setEditor(action.editor);
          return;
        case 'paste_start':
          pasteRef.current = '';
          return;
        case 'paste_data':
          pasteRef.current = (pasteRef.current ?? '') + action.text;
          return;
        case 'paste_end': {
          const pasted = pasteRef.current ?? '';
          pasteRef.current = undefined;
          if (pasted !== '') setEditor(insertPaste(current, pasted));
          return;
        }
        case 'submit': {
          const typed = action.editor ?? current;
          if (action.editor) setEditor(action.editor);
          const text = expandPastes(typed);
          if (text.trim() === '') return;
          if (!onSubmit(text)) return;
          history.add(text);
          historyRef.current = historyStart(history.all);
          setEditor(EMPTY_EDITOR);
          return;
        }
        case 'history': {
          const moved = action.direction === 'prev' ? historyPrev(history.all, historyRef.current, current.text) : historyNext(history.all, historyRef.current);
          if (!moved) return;
          historyRef.current = moved.cursor;
          setEditor(editorFromText(moved.text));
          return;
        }
        case 'complete': {
          const typed = action.editor ?? current;
          if (action.editor) setEditor(action.editor);
          if (!complete) return;
          const result = complete(typed.text);
          if (result.text !== typed.text) setEditor(editorFromText(result.text));
          setCandidates(result.candidates);
          return;
        }
        case 'interrupt':
          if (!onInterrupt(current.text === '') && current.text !== '') {
            setEditor(EMPTY_EDITOR);
            historyRef.current = historyStart(history.all);
          }
          return;
        case 'eof':
          onExit();
          return;
        case 'escape':
        case 'ignore':
          return;
      }
    },
    { isActive },
  );

  const promptColor = colorOf(theme, 'accent');
  const lines = editor.text.split('\n');
  const { line: cursorLine, column } = cursorPosition(editor);
  const first = Math.max(0, Math.min(cursorLine - Math.floor(maxLines / 2), lines.length - maxLines));
  const visible = lines.slice(first, first + maxLines);
  const hintRows = candidates.length > 0 ? candidates.map((c) => ({ usage: c, summary: '' })) : (hints?.(editor.text) ?? []);
  const hintWidth = Math.max(10, width - 4);

  return (
    <Box flexDirection="column">
      {first > 0 ? <Text dimColor>{`  … ${first} more line${first === 1 ? '' : 's'} above`}</Text> : null}
      {visible.map((line, i) => {
        const index = first + i;
        const lead = index === 0 ? <Text color={promptColor} bold dimColor={dim}>{`${SYMBOLS.prompt} `}</Text> : <Text>{'  '}</Text>;
        if (editor.text === '' && placeholder) {
          return (
            <Text key={index}>
              {lead}
              {isActive ? <Text inverse> </Text> : null}
              <Text dimColor>{truncate(placeholder, Math.max(4, width - 4))}</Text>
            </Text>
          );
        }
        if (index !== cursorLine || !isActive) {
          return (
            <Text key={index}>
              {lead}
              {line}
            </Text>
          );
        }
        const chars = [...line];
        return (
          <Text key={index}>
            {lead}
            {chars.slice(0, column).join('')}
            <Text inverse>{chars[column] ?? ' '}</Text>
            {chars.slice(column + 1).join('')}
          </Text>
        );
      })}
      {first + maxLines < lines.length ? <Text dimColor>{`  … ${lines.length - first - maxLines} more below`}</Text> : null}
      {hintRows.slice(0, 8).map((h) => (
        <Text key={h.usage} dimColor wrap="truncate-end">
          {truncate(`  ${h.usage}${h.summary ? `  ${h.summary}` : ''}`, hintWidth)}
        </Text>
      ))}
    </Box>
  );
}
