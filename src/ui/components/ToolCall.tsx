// One tool call: `server › tool` with a one-line argument summary; a spinner, elapsed time and progress
// bar while it runs; then ✓/✗ with its duration and a short preview of the result, or why it was denied.
import { Box, Text } from 'ink';
import { columns as width_, formatDuration, preview, progressBar, summarizeArgs, truncate } from '../text/format.js';
import { useTicker } from './hooks.js';
import { SPINNER_FRAMES, SYMBOLS, tint, useTheme, type ColorName } from './theme.js';
import type { ToolCallEntry } from '../state/transcript.js';

export interface ToolCallProps {
  entry: ToolCallEntry;
  width: number;
  /** Result lines shown (direct /call results show more). */
  previewLines?: number;
}

const STATUS: Record<Exclude<ToolCallEntry['status'], 'running'>, { symbol: string; color: ColorName }> = {
  awaiting_approval: { symbol: SYMBOLS.waiting, color: 'warn' },
  ok: { symbol: SYMBOLS.ok, color: 'success' },
  error: { symbol: SYMBOLS.error, color: 'error' },
  denied: { symbol: SYMBOLS.denied, color: 'warn' },
  cancelled: { symbol: SYMBOLS.cancelled, color: 'muted' },
};

export function ToolCall({ entry, width, previewLines }: ToolCallProps): React.JSX.Element {
  const theme = useTheme();
  const running = entry.status === 'running';
  const finished = entry.status !== 'running' && entry.status !== 'awaiting_approval';
  const tick = useTicker(running, 100);
  const look =
    entry.status === 'running'
      ? { symbol: SPINNER_FRAMES[tick % SPINNER_FRAMES.length] ?? '*', color: 'accent' as const }
      : STATUS[entry.status];
  const symbol = look.symbol;
  const color = tint(theme, look.color);

  const title = `${entry.server || '?'} ${SYMBOLS.arrow} ${entry.tool}`;
  const timing =
    running || entry.status === 'awaiting_approval'
      ? formatDuration(Date.now() - entry.startedAt)
      : entry.durationMs !== undefined
        ? formatDuration(entry.durationMs)
        : '';
  const state = entry.status === 'awaiting_approval' ? 'waiting for approval' : entry.status === 'cancelled' ? 'cancelled' : timing;
  const tail = state ? ` · ${state}` : '';
  const expandHint = ` (/expand ${entry.seq})`;
  // Narrow terminals get the arguments on a line of their own rather than none at all.
  const inline = width >= 60;
  const room = inline ? Math.max(0, width - width_(title) - width_(tail) - width_(expandHint) - 4) : Math.max(0, width - 4);
  const argsText = room >= 8 ? summarizeArgs(entry.args, room) : '';
  const argsCut = argsText !== summarizeArgs(entry.args, Number.MAX_SAFE_INTEGER);

  const lines = previewLines ?? (entry.direct ? 30 : 2);
  const inner = Math.max(10, width - 4);
  let body: React.JSX.Element | undefined;
  let more = argsCut;
  if (entry.status === 'denied') {
    body = <Text {...tint(theme, 'warn')}>{truncate(`denied: ${entry.result ?? ''}`, inner)}</Text>;
  } else if (entry.result !== undefined && (entry.status === 'ok' || entry.status === 'error')) {
    const shown = preview(entry.result, lines, inner);
    more ||= shown.more;
    body = (
      <Text {...(entry.status === 'error' ? tint(theme, 'error') : {})} dimColor={entry.status === 'ok'}>
        {shown.lines.join('\n') || '(no output)'}
      </Text>
    );
  }

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text {...color}>{symbol} </Text>
        <Text bold>{title}</Text>
        {argsText && inline ? <Text dimColor>{`  ${argsText}`}</Text> : null}
        <Text dimColor>{tail}</Text>
        {more && finished ? <Text dimColor>{expandHint}</Text> : null}
      </Text>
      {argsText && !inline ? <Text dimColor wrap="truncate-end">{`  ${argsText}`}</Text> : null}
      {running && entry.progress ? <ProgressLine progress={entry.progress} width={inner} /> : null}
      {body ? (
        <Box>
          <Text dimColor>{'  └ '}</Text>
          <Box flexDirection="column">{body}</Box>
        </Box>
      ) : null}
    </Box>
  );
}

function ProgressLine({ progress, width }: { progress: NonNullable<ToolCallEntry['progress']>; width: number }): React.JSX.Element {
  const theme = useTheme();
  const amount = progress.total !== undefined ? `${progress.progress}/${progress.total}` : String(progress.progress);
  const barWidth = Math.max(6, Math.min(24, Math.floor(width / 3)));
  const label = truncate(`${amount}${progress.message ? ` ${progress.message}` : ''}`, Math.max(4, width - barWidth - 1));
  return (
    <Text>
      {'    '}
      <Text {...tint(theme, 'accent')}>{progressBar(progress.progress, progress.total, barWidth)}</Text>
      <Text dimColor>{` ${label}`}</Text>
    </Text>
  );
}
