// The bottom line: model, agent, servers ready/total and the session's token usage, plus a transient
// hint (e.g. "press Ctrl+C again to exit"). Cut, never wrapped, so it stays one line at 40 columns.
import { Text } from 'ink';
import { formatTokens } from '../text/format.js';
import { tint, useTheme } from './theme.js';
import type { ServerView } from '../state/transcript.js';

export interface StatusBarProps {
  model: string | null;
  agent: string | null;
  servers: ServerView[];
  usage: { inputTokens: number; outputTokens: number };
  hint?: string;
  width?: number;
}

export function StatusBar({ model, agent, servers, usage, hint, width = 80 }: StatusBarProps): React.JSX.Element {
  const theme = useTheme();
  const ready = servers.filter((s) => s.state === 'ready').length;
  const narrow = width < 60;
  const tokens = narrow
    ? `${formatTokens(usage.inputTokens)}↑ ${formatTokens(usage.outputTokens)}↓`
    : `tokens ${formatTokens(usage.inputTokens)} in · ${formatTokens(usage.outputTokens)} out`;
  const parts = [
    model ?? (narrow ? 'no model' : 'no model (tools only)'),
    ...(agent ? [narrow ? agent : `agent ${agent}`] : []),
    narrow ? `${ready}/${servers.length} srv` : `servers ${ready}/${servers.length}`,
    tokens,
  ];
  if (hint) {
    return (
      <Text {...tint(theme, 'warn')} wrap="truncate-end">
        {hint}
      </Text>
    );
  }
  return (
    <Text dimColor wrap="truncate-end">
      {parts.join(narrow ? ' · ' : '  ·  ')}
    </Text>
  );
}
