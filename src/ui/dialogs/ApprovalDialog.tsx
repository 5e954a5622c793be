// The approval prompt: which tool, its full arguments, the server's hints, and four keyboard choices.
// Enter takes the highlighted one, which is Deny unless the server says the tool is read-only or
// non-destructive; Esc denies; `r` denies with a reason the model will read.
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import type { ApprovalRequest } from '../../agent/approvals.js';
import type { ApprovalChoice } from '../../agent/interactive-approvals.js';
import { columns, safeJson, truncate } from '../text/format.js';
import { tint, useTheme } from '../components/theme.js';

export interface ApprovalDialogProps {
  request: ApprovalRequest;
  onAnswer: (choice: ApprovalChoice) => void;
  /** Ctrl+C: the App cancels the whole turn. */
  onInterrupt: () => void;
  width: number;
  /** Most lines of arguments shown (the rest is counted). */
  maxArgLines?: number;
  /** Rows the whole dialog may take: the arguments get what the rest leaves. */
  maxHeight?: number;
  isActive?: boolean;
}

interface Option {
  key: string;
  label: string;
  choice: ApprovalChoice;
}

/** Whether the server's annotations mark the tool safe enough for Enter to allow it. */
export function defaultsToAllow(request: Pick<ApprovalRequest, 'annotations'>): boolean {
  const a = request.annotations;
  // MCP: a tool that is not read-only is assumed destructive unless it says destructiveHint: false.
  return a?.readOnlyHint === true || a?.destructiveHint === false;
}

export function approvalOptions(request: ApprovalRequest): Option[] {
  return [
    { key: 'y', label: 'Allow once', choice: { kind: 'allow_once' } },
    { key: 't', label: `Allow ${request.tool} for this session`, choice: { kind: 'allow_tool' } },
    { key: 's', label: `Allow every ${request.server} tool for this session`, choice: { kind: 'allow_server' } },
    { key: 'a', label: `Always allow ${request.tool} (saved in your user config)`, choice: { kind: 'allow_always' } },
    { key: 'n', label: 'Deny', choice: { kind: 'deny' } },
  ];
}

export function hintLines(request: ApprovalRequest): string[] {
  const a = request.annotations;
  const lines: string[] = [];
  if (a?.readOnlyHint === true) lines.push('read-only: the server says this tool does not change anything');
  else if (a?.destructiveHint === true) lines.push('destructive: the server says this tool may delete or overwrite things');
  else if (a?.destructiveHint === false) lines.push('changes things, but additively (the server says it is not destructive)');
  else lines.push('no hints from the server: treat it as able to change or delete things');
  if (a?.idempotentHint === true) lines.push('idempotent: calling it again with the same arguments has no further effect');
  if (a?.openWorldHint === true) lines.push('open world: it reaches outside systems (web, email, ...)');
  return lines;
}

export function ApprovalDialog({
  request,
  onAnswer,
  onInterrupt,
  width,
  maxArgLines = 12,
  maxHeight,
  isActive = true,
}: ApprovalDialogProps): React.JSX.Element {
  const theme = useTheme();
  const options = approvalOptions(request);
  const [selected, setSelected] = useState(defaultsToAllow(request) ? 0 : options.length - 1);
  const [reason, setReason] = useState<string | undefined>(undefined);
  const selectedRef = useRef(selected);
  const reasonRef = useRef(reason);
  const select = (index: number): void => {
    selectedRef.current = index;
    setSelected(index);
  };
  const updateReason = (text: string | undefined): void => {
    reasonRef.current = text;
    setReason(text);
  };

  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') {
        onInterrupt();
        return;
      }
      // Refs: keys that arrive together are handled before React re-renders.
      const typed = reasonRef.current;
      if (typed !== undefined) {
        if (key.escape) updateReason(undefined);
        else if (key.return) onAnswer({ kind: 'deny', ...(typed.trim() ? { reason: typed.trim() } : {}) });
        else if (key.backspace || key.delete) updateReason(typed.slice(0, -1));
        else if (input && !key.ctrl && !key.meta) updateReason(typed + input.replace(/[\r\n]+/g, ' '));
        return;
      }
      if (key.escape) return onAnswer({ kind: 'deny' });
      if (key.upArrow || (key.shift && key.tab)) return select((selectedRef.current + options.length - 1) % options.length);
      if (key.downArrow || key.tab) return select((selectedRef.current + 1) % options.length);
      if (key.return) return onAnswer(options[selectedRef.current]?.choice ?? { kind: 'deny' });
      const lower = input.toLowerCase();
      if (lower === 'r') return updateReason('');
      const picked = options.findIndex((o, i) => o.key === lower || String(i + 1) === lower);
      if (picked !== -1) onAnswer(options[picked]?.choice ?? { kind: 'deny' });
    },
    { isActive },
  );

  const inner = Math.max(16, Math.min(width, 100) - 4);
  const rowsOf = (text: string): number => Math.max(1, Math.ceil(columns(text) / inner));
  const allHints = hintLines(request);
  const pretty = safeJson(request.args, 2)
    .split('\n')
    .map((l) => `  ${l}`);
  const rowsOfAll = (lines: string[]): number => lines.reduce((n, l) => n + rowsOf(l), 0);
  // Borders, title, tool line, "arguments:", the gap, four choices and the footer (and the reason line).
  const chrome = 11 + (reason !== undefined ? 2 : 0);
  const room = maxHeight !== undefined ? maxHeight - chrome : Number.MAX_SAFE_INTEGER;
  const roomy = rowsOfAll(allHints) + Math.min(rowsOfAll(pretty), maxArgLines) <= room;
  // Short of room, the arguments matter more than anything else: one line of hints, no gap, and
  // the arguments as compact JSON (the same content in fewer rows).
  const hints = roomy ? allHints : allHints.slice(0, 1).map((h) => truncate(h, inner));
  const argRoom = room - rowsOfAll(hints) + (roomy ? 0 : 1);
  const args = roomy || rowsOfAll(pretty) <= argRoom ? pretty : [`  ${safeJson(request.args)}`];
  const shownArgs = fitRows(args, Math.max(1, Math.min(maxArgLines, argRoom)), rowsOf);
  const destructive = !defaultsToAllow(request);
  const accent = tint(theme, destructive ? 'warn' : 'accent');

  return (
    <Box flexDirection="column" borderStyle="round" borderColor={accent.color} paddingX={1} width={Math.min(width, 100)}>
      <Text bold {...accent}>
        Allow this tool call?
      </Text>
      <Text wrap="truncate-end">
        <Text bold>{`${request.server} › ${request.tool}`}</Text>
        <Text dimColor>{`  (${request.name})`}</Text>
      </Text>
      {hints.map((line) => (
        <Text key={line} dimColor>
          {line}
        </Text>
      ))}
      <Text dimColor>arguments:</Text>
      <Text>{shownArgs.join('\n')}</Text>
      <Box flexDirection="column" marginTop={roomy ? 1 : 0}>
        {options.map((o, i) => (
          <Box key={o.key}>
            <Text {...(i === selected ? { ...tint(theme, 'accent'), bold: true } : {})}>{`${i === selected ? '❯' : ' '} ${i + 1}. `}</Text>
            <Text {...(i === selected ? { ...tint(theme, 'accent'), bold: true } : {})}>
              {o.label}
              <Text dimColor>{` (${o.key})`}</Text>
            </Text>
          </Box>
        ))}
      </Box>
      {reason !== undefined ? (
        <Box marginTop={1}>
          <Text>{'reason for the model: '}</Text>
          <Text>{reason}</Text>
          <Text inverse> </Text>
        </Box>
      ) : null}
      <Text dimColor wrap="truncate-end">
        {reason !== undefined
          ? 'Enter denies with this reason · Esc back'
          : inner < 56
            ? '↑↓ Enter · y t s a n · r: reason · Esc: deny'
            : `↑↓ Enter · 1-${options.length} or y/t/s/a/n · r deny with a reason · Esc deny`}
      </Text>
    </Box>
  );
}

/** The first lines that fit in `rows` terminal rows, then a count of the lines left out. */
function fitRows(lines: string[], rows: number, rowsOf: (line: string) => number): string[] {
  let used = 0;
  const shown: string[] = [];
  for (const [i, line] of lines.entries()) {
    const need = rowsOf(line);
    const rest = lines.length - i;
    if (used + need > rows - (rest > 1 ? 1 : 0)) {
      shown.push(`  … ${rest} more line${rest === 1 ? '' : 's'}`);
      return shown;
    }
    shown.push(line);
    used += need;
  }
  return shown;
}
