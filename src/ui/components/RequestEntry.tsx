// Transcript lines for servers' requests: a form or URL the person answered, and a sampling request
// with the model's answer (a short preview; /expand shows it all).
import { Box, Text } from 'ink';
import { formatDuration, preview, truncate } from '../text/format.js';
import { useTicker } from './hooks.js';
import { SPINNER_FRAMES, SYMBOLS, tint, useTheme } from './theme.js';
import type { ElicitationEntry, SamplingEntry } from '../state/transcript-requests.js';

const ANSWER_PREVIEW_LINES = 4;

export function ElicitationLine({ entry, width }: { entry: ElicitationEntry; width: number }): React.JSX.Element {
  const theme = useTheme();
  const [symbol, color] =
    entry.outcome === 'accepted'
      ? [SYMBOLS.ok, tint(theme, 'success')]
      : entry.outcome === 'declined'
        ? [SYMBOLS.denied, tint(theme, 'warn')]
        : [SYMBOLS.cancelled, tint(theme, 'muted')];
  const what = entry.mode === 'url' ? 'asked you to open a URL' : 'asked for input';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text {...color}>{`${symbol} `}</Text>
        <Text bold>{entry.server}</Text>
        <Text>{` ${what}: ${truncate(entry.message, Math.max(10, width - entry.server.length - what.length - 6))}`}</Text>
      </Text>
      <Box>
        <Text dimColor>{'  └ '}</Text>
        <Box flexShrink={1}>
          <Text dimColor wrap="wrap">{`${entry.outcome}${entry.detail ? `: ${entry.detail}` : ''}`}</Text>
        </Box>
      </Box>
    </Box>
  );
}

export function SamplingLine({ entry, width }: { entry: SamplingEntry; width: number }): React.JSX.Element {
  const theme = useTheme();
  const running = entry.status === 'running';
  const tick = useTicker(running, 100);
  const symbol = running
    ? (SPINNER_FRAMES[tick % SPINNER_FRAMES.length] ?? '*')
    : entry.status === 'ok'
      ? SYMBOLS.ok
      : entry.status === 'denied'
        ? SYMBOLS.denied
        : SYMBOLS.error;
  const color = running
    ? tint(theme, 'accent')
    : entry.status === 'ok'
      ? tint(theme, 'success')
      : entry.status === 'denied'
        ? tint(theme, 'warn')
        : tint(theme, 'error');
  const tail = running
    ? ` · the model is answering${entry.allowedForSession ? ' (allowed for this session)' : ''}`
    : entry.durationMs !== undefined
      ? ` · ${entry.model ? `${entry.model} · ` : ''}${formatDuration(entry.durationMs)}`
      : '';
  const title = `sampling for ${entry.server}`;
  const askedRoom = Math.max(10, width - title.length - tail.length - 14);
  // An answer is previewed (/expand shows it all); a denial or failure is short and shown whole.
  const body =
    entry.status === 'ok' && entry.text !== undefined ? preview(entry.text, ANSWER_PREVIEW_LINES, Math.max(10, width - 4)) : undefined;
  const why =
    entry.status === 'denied' || entry.status === 'error'
      ? `${entry.status === 'denied' ? 'denied' : 'failed'}: ${entry.text ?? 'unknown reason'}`
      : undefined;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text {...color}>{`${symbol} `}</Text>
        <Text bold>{title}</Text>
        <Text>{`  asked: ${truncate(entry.asked, askedRoom)}`}</Text>
        <Text dimColor>{tail}</Text>
      </Text>
      {body ? body.lines.map((line, i) => <Text key={i}>{`  ${i === 0 ? '└' : ' '} ${line}`}</Text>) : null}
      {why ? (
        <Box>
          <Text {...color}>{'  └ '}</Text>
          <Box flexShrink={1}>
            <Text {...color} wrap="wrap">
              {why}
            </Text>
          </Box>
        </Box>
      ) : null}
      {body?.more ? <Text dimColor>{`    … (/expand ${entry.seq})`}</Text> : null}
    </Box>
  );
}
