// A server asks mcpsh's model for a completion (MCP sampling). The person sees who asks and what it
// sends (system prompt and messages: a preview, `v` shows all and ↑↓ scroll), then allows or denies.
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import type { SamplingRequest } from '../../mcp/client-requests.js';
import type { SamplingChoice } from '../state/client-request-bridge.js';
import { terminalSafe } from '../../output/safe-text.js';
import { tint, useTheme } from '../components/theme.js';
import { wrapAnsi } from '../text/wrap.js';

export interface SamplingDialogProps {
  server: string;
  params: SamplingRequest['params'];
  /** The model that would answer. */
  model: string;
  onAnswer: (choice: SamplingChoice) => void;
  width: number;
  maxHeight?: number;
  waiting?: number;
  isActive?: boolean;
}

const PREVIEW_LINES = 8;

/** The request as lines of text for people: system prompt, each message, the limits asked for. */
export function samplingLines(params: SamplingRequest['params'], width: number): string[] {
  const lines: string[] = [];
  const add = (label: string, text: string): void => {
    lines.push(label);
    for (const line of wrapAnsi(terminalSafe(text).trimEnd() || '(empty)', Math.max(8, width - 2)).split('\n')) lines.push(`  ${line}`);
  };
  if (params.systemPrompt) add('system prompt:', params.systemPrompt);
  for (const message of params.messages) {
    const blocks = Array.isArray(message.content) ? message.content : [message.content];
    add(
      `${message.role}:`,
      blocks
        .map((b) =>
          b.type === 'text' ? b.text : `[${b.type}${'mimeType' in b && typeof b.mimeType === 'string' ? ` ${b.mimeType}` : ''}]`,
        )
        .join('\n'),
    );
  }
  return lines;
}

export function samplingOptions(server: string): Array<{ key: string; label: string; choice: SamplingChoice }> {
  return [
    { key: 'y', label: 'Allow once', choice: 'once' },
    { key: 's', label: `Allow ${server} to sample for this session`, choice: 'server' },
    { key: 'n', label: 'Deny', choice: 'deny' },
  ];
}

export function SamplingDialog({
  server,
  params,
  model,
  onAnswer,
  width,
  maxHeight,
  waiting = 0,
  isActive = true,
}: SamplingDialogProps): React.JSX.Element {
  const theme = useTheme();
  const options = samplingOptions(server);
  // Deny is highlighted: a stray Enter must not spend tokens.
  const [selected, setSelected] = useState(options.length - 1);
  const [expanded, setExpanded] = useState(false);
  const [offset, setOffset] = useState(0);
  const selectedRef = useRef(selected);
  const boxWidth = Math.min(width, 100);
  const inner = Math.max(16, boxWidth - 4);
  const lines = samplingLines(params, inner);
  // Borders, title, limits line, gap, options, footer, waiting note.
  const chrome = 5 + options.length + 2 + (waiting > 0 ? 1 : 0);
  const room = Math.max(3, (maxHeight ?? 40) - chrome);
  const window = expanded ? Math.max(1, room - 1) : Math.min(PREVIEW_LINES, room);
  const maxOffset = Math.max(0, lines.length - window);

  const select = (index: number): void => {
    selectedRef.current = index;
    setSelected(index);
  };
  useInput(
    (input, key) => {
      if ((key.ctrl && input === 'c') || key.escape) return onAnswer('deny');
      if (key.return) return onAnswer(options[selectedRef.current]?.choice ?? 'deny');
      if (key.tab) return select((selectedRef.current + (key.shift ? options.length - 1 : 1)) % options.length);
      if (expanded && (key.upArrow || key.downArrow || key.pageUp || key.pageDown)) {
        const step = key.pageUp || key.pageDown ? window : 1;
        return setOffset((o) => Math.max(0, Math.min(maxOffset, o + (key.upArrow || key.pageUp ? -step : step))));
      }
      if (key.upArrow) return select((selectedRef.current + options.length - 1) % options.length);
      if (key.downArrow) return select((selectedRef.current + 1) % options.length);
      const lower = input.toLowerCase();
      if (lower === 'v') {
        setOffset(0);
        return setExpanded((e) => !e);
      }
      const picked = options.findIndex((o, i) => o.key === lower || String(i + 1) === lower);
      if (picked !== -1) onAnswer(options[picked]?.choice ?? 'deny');
    },
    { isActive },
  );

  const start = expanded ? Math.min(offset, maxOffset) : 0;
  const shown = lines.slice(start, start + window);
  const hidden = lines.length - shown.length;
  const accent = tint(theme, 'warn');
  const limits = [
    `max tokens ${params.maxTokens}`,
    ...(params.temperature !== undefined ? [`temperature ${params.temperature}`] : []),
    `answered by ${model}`,
  ].join(' · ');
  const footer = expanded
    ? `↑↓ scroll (${start + 1}–${start + shown.length} of ${lines.length}) · Tab choice · Enter · v: less`
    : `↑↓ Enter · y s n${hidden > 0 ? ' · v: view all' : ''} · Esc deny`;

  return (
    <Box flexDirection="column" borderStyle="round" borderColor={accent.color} paddingX={1} width={boxWidth}>
      <Text bold {...accent} wrap="wrap">{`${server} asks the model for a completion (sampling)`}</Text>
      <Text dimColor wrap="wrap">
        {limits}
      </Text>
      <Text>{shown.join('\n')}</Text>
      {!expanded && hidden > 0 ? <Text dimColor>{`… ${hidden} more line${hidden === 1 ? '' : 's'} (v: view all)`}</Text> : null}
      <Box flexDirection="column" marginTop={1}>
        {options.map((o, i) => (
          <Text key={o.key} {...(i === selected ? { ...tint(theme, 'accent'), bold: true } : {})} wrap="truncate-end">
            {`${i === selected ? '❯' : ' '} ${i + 1}. ${o.label}`}
            <Text dimColor>{` (${o.key})`}</Text>
          </Text>
        ))}
      </Box>
      {waiting > 0 ? <Text dimColor>{`${waiting} more request${waiting === 1 ? '' : 's'} waiting`}</Text> : null}
      <Text dimColor wrap="truncate-end">
        {footer}
      </Text>
    </Box>
  );
}
