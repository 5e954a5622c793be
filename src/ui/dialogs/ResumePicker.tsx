// The /resume picker: the saved chats, newest first, one line each (when, turns, first prompt); ↑/↓
// choose, Enter continues the chosen chat here, Esc (or Ctrl+C) closes it. The list scrolls in a window.
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { formatBytes } from '../../mcp/render-result.js';
import { localTime } from '../../output/local-time.js';
import { truncate } from '../text/format.js';
import type { ResumePickerView } from '../state/resume-sessions.js';
import { tint, useTheme } from '../components/theme.js';

export interface ResumePickerProps {
  view: ResumePickerView;
  onPick: (id: string) => void;
  onCancel: () => void;
  width: number;
  /** Rows the whole dialog may take. */
  maxHeight: number;
}

export function ResumePicker({ view, onPick, onCancel, width, maxHeight }: ResumePickerProps): React.JSX.Element {
  const theme = useTheme();
  const { sessions, current } = view;
  // The newest chat that is not this one is where Enter goes first.
  const [selected, setSelected] = useState(
    Math.max(
      0,
      sessions.findIndex((s) => s.id !== current),
    ),
  );
  const selectedRef = useRef(selected);
  const select = (index: number): void => {
    const next = Math.min(sessions.length - 1, Math.max(0, index));
    selectedRef.current = next;
    setSelected(next);
  };
  // Borders, title, details, footer and the "more" line.
  const rows = Math.max(3, Math.min(sessions.length, maxHeight - 7));

  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) return onCancel();
    if (key.upArrow) return select(selectedRef.current - 1);
    if (key.downArrow || key.tab) return select(selectedRef.current + 1);
    if (key.pageUp) return select(selectedRef.current - rows);
    if (key.pageDown) return select(selectedRef.current + rows);
    if (key.return) {
      const chosen = sessions[selectedRef.current];
      if (chosen) onPick(chosen.id);
    }
  });

  const inner = Math.max(20, Math.min(width, 110) - 4);
  const first = Math.min(Math.max(0, selected - Math.floor(rows / 2)), Math.max(0, sessions.length - rows));
  const shown = sessions.slice(first, first + rows);
  const chosen = sessions[selected];
  const accent = tint(theme, 'accent');
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={accent.color} paddingX={1} width={Math.min(width, 110)}>
      <Text bold {...accent}>
        Resume a saved chat
      </Text>
      {shown.map((s, i) => {
        const index = first + i;
        const on = index === selected;
        const turns = `${s.userMessages} turn${s.userMessages === 1 ? '' : 's'}`;
        const label = `${on ? '❯' : ' '} ${localTime(s.updatedAt)}  ${turns.padEnd(9)} ${s.firstPrompt ?? '(nothing sent)'}${s.id === current ? '  (this chat)' : ''}`;
        return (
          <Text key={s.id} wrap="truncate-end" {...(on ? { ...accent, bold: true } : {})}>
            {truncate(label, inner)}
          </Text>
        );
      })}
      {view.more > 0 ? (
        <Text dimColor>{`  … ${view.more} older (mcpsh sessions --limit N lists them; /resume <id> opens one)`}</Text>
      ) : null}
      {chosen ? (
        <Text dimColor wrap="truncate-end">
          {truncate(
            `id ${chosen.id} · ${chosen.messages} messages · ${formatBytes(chosen.bytes)}${chosen.cwd ? ` · in ${chosen.cwd}` : ''}`,
            inner,
          )}
        </Text>
      ) : null}
      <Text dimColor wrap="truncate-end">
        ↑↓ choose · Enter continue it here · Esc cancel
      </Text>
    </Box>
  );
}
