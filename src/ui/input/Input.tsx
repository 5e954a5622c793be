// The prompt: multi-line editing (Enter sends; Alt+Enter, Ctrl+J or a trailing \ adds a line), ↑/↓
// history, Tab completion with hints for slash commands, large pastes shown as a placeholder, and the
// chat's questions (a missing prompt argument) answered in the same line.
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { cursorPosition, EMPTY_EDITOR, editorFromText, expandPastes, insertPaste, type EditorState } from './editor.js';
import { terminalSafe } from '../../output/safe-text.js';
import { truncate } from '../text/format.js';
import { historyNext, historyPrev, historyStart, type HistoryCursor, type PromptHistory } from './history.js';
import { InputBridge, type Completion } from './input-bridge.js';
import { interpretKey } from './input-keys.js';
import { SYMBOLS, tint, useTheme } from '../components/theme.js';

export interface InputProps {
  history: PromptHistory;
  /** Returns false to keep the text in the prompt (e.g. the model is still working). */
  onSubmit: (text: string) => boolean;
  /** Ctrl+C; returns true when it was used (a turn cancelled, exit armed), else a non-empty prompt is cleared. */
  onInterrupt: (promptEmpty: boolean) => boolean;
  /** Ctrl+D on an empty prompt. */
  onExit: () => void;
  /** Tab; may answer later (a server is asked), and is ignored if the text changed meanwhile. */
  complete?: (text: string) => Completion | Promise<Completion>;
  hints?: (text: string) => Array<{ usage: string; summary: string }>;
  /** The chat's questions, restored text and extra hints (none when not given). */
  bridge?: InputBridge;
  width: number;
  placeholder?: string;
  isActive?: boolean;
  dim?: boolean;
  /** Most lines of the prompt shown at once (around the cursor). */
  maxLines?: number;
}

const NO_BRIDGE = new InputBridge();

export function Input({
  history,
  onSubmit,
  onInterrupt,
  onExit,
  complete,
  hints,
  bridge: given,
  width,
  placeholder,
  isActive = true,
  dim = false,
  maxLines = 8,
}: InputProps): React.JSX.Element {
  const theme = useTheme();
  const bridge = given ?? NO_BRIDGE;
  const { question, restore } = useSyncExternalStore(bridge.subscribe, bridge.getSnapshot);
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

  // A message that could not be sent comes back, unless something new was typed meanwhile.
  const restored = useRef(0);
  useEffect(() => {
    if (!restore || restore.seq === restored.current) return;
    restored.current = restore.seq;
    if (editorRef.current.text === '') setEditor(editorFromText(restore.text));
  }, [restore]);

  const runCompletion = (typed: EditorState, result: Completion | Promise<Completion>): void => {
    const apply = (r: Completion): void => {
      if (editorRef.current.text !== typed.text) return;
      if (r.text !== typed.text) setEditor(editorFromText(r.text));
      setCandidates(r.candidates);
    };
    if (result instanceof Promise) result.then(apply, () => undefined);
    else apply(result);
  };

  useInput(
    (input, key) => {
      const current = editorRef.current;
      const action = interpretKey(current, input, key, pasteRef.current !== undefined);
      if (action.type !== 'complete' && action.type !== 'ignore') setCandidates([]);
      // Read live, not from the render: the question can change between two keys of one chunk.
      const asking = bridge.getSnapshot().question !== undefined;
      if (asking && answerKey(action.type)) {
        if (action.type === 'submit') {
          const typed = action.editor ?? current;
          if (bridge.answer(expandPastes(typed))) setEditor(EMPTY_EDITOR);
          else if (action.editor) setEditor(action.editor);
        } else if (action.type === 'complete') {
          const typed = action.editor ?? current;
          if (action.editor) setEditor(action.editor);
          runCompletion(typed, bridge.complete(typed.text));
        } else if (action.type === 'interrupt' || action.type === 'escape') {
          bridge.abandon();
          setEditor(EMPTY_EDITOR);
        }
        return;
      }
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
          const moved =
            action.direction === 'prev'
              ? historyPrev(history.all, historyRef.current, current.text)
              : historyNext(history.all, historyRef.current);
          if (!moved) return;
          historyRef.current = moved.cursor;
          setEditor(editorFromText(moved.text));
          return;
        }
        case 'complete': {
          const typed = action.editor ?? current;
          if (action.editor) setEditor(action.editor);
          if (!complete) return;
          runCompletion(typed, complete(typed.text));
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

  const promptColor = tint(theme, 'accent');
  const lines = editor.text.split('\n');
  const { line: cursorLine, column } = cursorPosition(editor);
  const first = Math.max(0, Math.min(cursorLine - Math.floor(maxLines / 2), lines.length - maxLines));
  const visible = lines.slice(first, first + maxLines);
  // Completions, hints and questions quote servers (resource URIs, prompt names, descriptions), and the
  // line itself may hold pasted text: all of it is shown terminal-safe (the chat's other text is made
  // safe as it enters the ChatStore).
  const hintRows = (
    candidates.length > 0
      ? candidates.map((c) => ({ usage: c, summary: '' }))
      : question
        ? []
        : [...(hints?.(editor.text) ?? []), ...bridge.hints(editor.text)]
  ).map((h) => ({
    usage: terminalSafe(h.usage),
    summary: terminalSafe(h.summary),
  }));
  const hintWidth = Math.max(10, width - 4);
  const shownPlaceholder = question ? `a value for ${question.name}` : placeholder;

  return (
    <Box flexDirection="column">
      {question ? (
        <Box flexDirection="column">
          <Text wrap="wrap">
            <Text {...promptColor} bold>
              {terminalSafe(`? ${question.title}`)}
            </Text>
            {terminalSafe(
              ` needs ${question.name}${question.position ? ` (${question.position})` : ''}${question.description ? `: ${question.description}` : ''}`,
            )}
          </Text>
          <Text dimColor wrap="truncate-end">
            {truncate('  Enter answers · Tab completes · Esc abandons the prompt', hintWidth)}
          </Text>
        </Box>
      ) : null}
      {first > 0 ? <Text dimColor>{`  … ${first} more line${first === 1 ? '' : 's'} above`}</Text> : null}
      {visible.map((line, i) => {
        const index = first + i;
        const lead =
          index === 0 ? (
            <Text {...promptColor} bold dimColor={dim}>
              {question ? `${terminalSafe(question.name)} ${SYMBOLS.prompt} ` : `${SYMBOLS.prompt} `}
            </Text>
          ) : (
            <Text>{'  '}</Text>
          );
        if (editor.text === '' && shownPlaceholder) {
          return (
            <Text key={index}>
              {lead}
              {isActive ? <Text inverse> </Text> : null}
              <Text dimColor>{truncate(terminalSafe(shownPlaceholder), Math.max(4, width - 4))}</Text>
            </Text>
          );
        }
        if (index !== cursorLine || !isActive) {
          return (
            <Text key={index}>
              {lead}
              {terminalSafe(line)}
            </Text>
          );
        }
        const chars = [...line];
        return (
          <Text key={index}>
            {lead}
            {terminalSafe(chars.slice(0, column).join(''))}
            <Text inverse>{terminalSafe(chars[column] ?? ' ')}</Text>
            {terminalSafe(chars.slice(column + 1).join(''))}
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

/** In question mode these keys answer, complete or abandon; the rest edit as usual (history is off). */
function answerKey(type: string): boolean {
  return type === 'submit' || type === 'complete' || type === 'interrupt' || type === 'escape' || type === 'history' || type === 'eof';
}
