// The form a server asks the person to fill in (MCP elicitation, form mode). Tab/↑↓ move, typing edits,
// Space toggles, Enter goes on (and accepts at the end), Ctrl+S accepts, Esc declines, Ctrl+C cancels.
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import type { ElicitationResult } from '../../mcp/client-requests.js';
import { validateField, type FormSpec } from '../state/form-model.js';
import {
  acceptIndex,
  declineIndex,
  formReducer,
  initialFormState,
  pressEnter,
  submitForm,
  type FormAction,
  type FormState,
} from '../state/form-state.js';
import { fieldRows, FormFieldView } from './FormFieldView.js';
import { tint, useTheme } from '../components/theme.js';
import { wrapAnsi } from '../text/wrap.js';

export interface ElicitationDialogProps {
  server: string;
  /** The server's message, already safe for the terminal. */
  message: string;
  spec: FormSpec;
  onAnswer: (result: ElicitationResult) => void;
  width: number;
  /** Rows the dialog may take: fields scroll within what is left. */
  maxHeight?: number;
  /** Requests waiting behind this one. */
  waiting?: number;
  isActive?: boolean;
}

const MAX_MESSAGE_LINES = 6;

export function ElicitationDialog({
  server,
  message,
  spec,
  onAnswer,
  width,
  maxHeight,
  waiting = 0,
  isActive = true,
}: ElicitationDialogProps): React.JSX.Element {
  const theme = useTheme();
  const [state, setState] = useState<FormState>(() => initialFormState(spec));
  // Keys that arrive together (a paste, fast typing) are applied before React re-renders.
  const ref = useRef(state);
  const apply = (next: FormState): void => {
    ref.current = next;
    setState(next);
  };
  const act = (action: FormAction): void => apply(formReducer(spec, ref.current, action));

  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') return onAnswer({ action: 'cancel' });
      if (key.escape) return onAnswer({ action: 'decline' });
      if (key.ctrl && input === 's') {
        const outcome = submitForm(spec, ref.current);
        return outcome.kind === 'accept' ? onAnswer({ action: 'accept', content: outcome.content }) : apply(outcome.state);
      }
      if (key.return) {
        const outcome = pressEnter(spec, ref.current);
        if (outcome.kind === 'accept') return onAnswer({ action: 'accept', content: outcome.content });
        if (outcome.kind === 'decline') return onAnswer({ action: 'decline' });
        return apply(outcome.state);
      }
      if (key.tab) return act({ type: key.shift ? 'prev' : 'next' });
      if (key.downArrow) return act({ type: 'next' });
      if (key.upArrow) return act({ type: 'prev' });
      if (key.leftArrow) return act({ type: 'left' });
      if (key.rightArrow) return act({ type: 'right' });
      if (key.backspace || key.delete) return act({ type: 'backspace' });
      if (key.ctrl && input === 'u') return act({ type: 'clear' });
      if (input === ' ') return act({ type: 'space' });
      if (!input || key.ctrl || key.meta) return;
      // Keys typed faster than the screen reads them arrive as one chunk: a Tab in it still moves on.
      for (const [i, part] of input.split('\t').entries()) {
        if (i > 0) act({ type: 'next' });
        if (part !== '') act(part === ' ' ? { type: 'space' } : { type: 'text', text: part });
      }
    },
    { isActive },
  );

  const boxWidth = Math.min(width, 100);
  const inner = Math.max(16, boxWidth - 4);
  const accent = tint(theme, 'accent');
  const messageLines = wrapAnsi(message || '(no message)', inner).split('\n');
  const shownMessage =
    messageLines.length > MAX_MESSAGE_LINES
      ? [...messageLines.slice(0, MAX_MESSAGE_LINES - 1), `… ${messageLines.length - MAX_MESSAGE_LINES + 1} more lines`]
      : messageLines;
  const fieldProps = spec.fields.map((field, i) => {
    const value = state.values[field.name];
    const error = state.shown.includes(field.name) ? validateField(field, value) : undefined;
    return { field, value, focused: i === state.focus, option: i === state.focus ? state.option : 0, error, width: inner };
  });
  const footer =
    inner < 72
      ? ['Tab/↑↓ move · Space toggle · Enter next', '^S accept · Esc decline · ^C cancel']
      : ['Tab/↑↓ move · Space toggle · Ctrl+S accept · Esc decline · Ctrl+C cancel'];
  // Borders, title, blank line, buttons, footer, and the unsupported/waiting notes.
  const chrome = 6 + footer.length + shownMessage.length + (spec.unsupported.length > 0 ? 1 : 0) + (waiting > 0 ? 1 : 0);
  const room = maxHeight !== undefined ? Math.max(3, maxHeight - chrome) : Number.MAX_SAFE_INTEGER;
  const [start, end] = visibleRange(fieldProps.map(fieldRows), Math.min(state.focus, spec.fields.length - 1), room);
  const button = (index: number, label: string): React.JSX.Element => (
    <Text {...(state.focus === index ? { inverse: true, bold: true } : {})}>{` ${label} `}</Text>
  );

  return (
    <Box flexDirection="column" borderStyle="round" borderColor={accent.color} paddingX={1} width={boxWidth}>
      <Text bold {...accent} wrap="truncate-end">{`${server} asks for input`}</Text>
      {shownMessage.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      {spec.unsupported.length > 0 ? (
        <Text {...tint(theme, 'warn')} wrap="wrap">{`not shown (mcpsh cannot ask for it): ${spec.unsupported.join('; ')}`}</Text>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        {start > 0 ? <Text dimColor>{`  ↑ ${start} more above`}</Text> : null}
        {fieldProps.slice(start, end).map((props) => (
          <FormFieldView key={props.field.name} {...props} />
        ))}
        {end < fieldProps.length ? <Text dimColor>{`  ↓ ${fieldProps.length - end} more below`}</Text> : null}
        {spec.fields.length === 0 ? <Text dimColor>(no fields: accept or decline)</Text> : null}
      </Box>
      <Box marginTop={1}>
        {button(acceptIndex(spec), 'Accept')}
        <Text> </Text>
        {button(declineIndex(spec), 'Decline')}
      </Box>
      {waiting > 0 ? <Text dimColor>{`${waiting} more request${waiting === 1 ? '' : 's'} waiting`}</Text> : null}
      {footer.map((line) => (
        <Text key={line} dimColor wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

/** The fields to draw: the focused one, then as many after and before it as fit in `room` rows (two kept for the "more" lines). */
export function visibleRange(rows: number[], focus: number, room: number): [number, number] {
  const total = rows.reduce((a, b) => a + b, 0);
  if (total <= room || rows.length === 0) return [0, rows.length];
  const at = Math.max(0, focus);
  let start = at;
  let end = at + 1;
  let used = rows[at] ?? 1;
  const budget = Math.max(1, room - 2);
  for (;;) {
    const down = rows[end];
    if (down !== undefined && used + down <= budget) {
      used += down;
      end++;
      continue;
    }
    const up = rows[start - 1];
    if (up !== undefined && used + up <= budget) {
      used += up;
      start--;
      continue;
    }
    return [start, end];
  }
}
