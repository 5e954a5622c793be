// One transcript entry, the same whether it is still live or already printed once by <Static>.
import { Box, Text } from 'ink';
import { Markdown } from './Markdown.js';
import { ElicitationLine, SamplingLine } from './RequestEntry.js';
import { ToolCall } from './ToolCall.js';
import { colorOf, SYMBOLS, tint, useTheme } from './theme.js';
import type { Entry } from '../state/transcript.js';
import { wrapAnsi } from '../text/wrap.js';

export interface EntryViewProps {
  entry: Entry;
  /** The entry before it, for spacing: consecutive tool calls and notices sit together. */
  previous?: Entry | undefined;
  width: number;
  /** For a live answer: keep only its last lines. */
  maxLines?: number;
}

export function EntryView({ entry, previous, width, maxLines }: EntryViewProps): React.JSX.Element {
  const theme = useTheme();
  const grouped =
    previous !== undefined &&
    previous.kind === entry.kind &&
    (entry.kind === 'tool' || entry.kind === 'notice' || entry.kind === 'elicitation');
  const marginTop = previous === undefined || grouped ? 0 : 1;
  switch (entry.kind) {
    case 'banner':
      return (
        <Box
          flexDirection="column"
          marginTop={marginTop}
          {...(entry.level === 'info'
            ? {}
            : { borderStyle: 'round' as const, borderColor: colorOf(theme, entry.level === 'error' ? 'error' : 'warn'), paddingX: 1 })}
        >
          <Text bold {...tint(theme, entry.level === 'info' ? 'accent' : 'warn')}>
            {entry.title}
          </Text>
          {entry.lines.map((line, i) => (
            <Text key={i} dimColor={entry.level === 'info'}>
              {line}
            </Text>
          ))}
        </Box>
      );
    case 'user': {
      const [first = '', ...rest] = entry.text.split('\n');
      return (
        <Box flexDirection="column" marginTop={marginTop}>
          <Text>
            <Text {...tint(theme, 'user')} bold>{`${SYMBOLS.prompt} `}</Text>
            <Text {...tint(theme, 'user')}>{first}</Text>
          </Text>
          {rest.length > 0 ? <Text {...tint(theme, 'user')}>{rest.map((l) => `  ${l}`).join('\n')}</Text> : null}
        </Box>
      );
    }
    case 'assistant':
      return (
        <Box marginTop={marginTop}>
          <Markdown text={entry.text} width={width} {...(maxLines !== undefined && !entry.final ? { maxLines } : {})} />
        </Box>
      );
    case 'tool':
      return (
        <Box marginTop={marginTop}>
          <ToolCall entry={entry} width={width} />
        </Box>
      );
    case 'notice': {
      const color = entry.level === 'info' ? {} : tint(theme, entry.level === 'error' ? 'error' : 'warn');
      return (
        <Box marginTop={marginTop}>
          <Text {...color} dimColor={entry.level === 'info'}>{`• ${entry.text}`}</Text>
        </Box>
      );
    }
    case 'command':
      return (
        <Box flexDirection="column" marginTop={marginTop}>
          <Text dimColor>{`${SYMBOLS.prompt} ${entry.input}`}</Text>
          {entry.output === '' ? null : entry.table ? (
            entry.output.split('\n').map((line, i) => (
              <Text key={i} wrap="truncate-end">
                {line === '' ? ' ' : line}
              </Text>
            ))
          ) : (
            <Text {...(entry.isError ? tint(theme, 'error') : {})}>{wrapAnsi(entry.output, width)}</Text>
          )}
        </Box>
      );
    case 'elicitation':
      return (
        <Box marginTop={marginTop}>
          <ElicitationLine entry={entry} width={width} />
        </Box>
      );
    case 'sampling':
      return (
        <Box marginTop={marginTop}>
          <SamplingLine entry={entry} width={width} />
        </Box>
      );
  }
}
