// A server asks the person to open a URL (MCP elicitation, URL mode). mcpsh never opens it itself: it
// shows the whole URL (no side borders, so a copied line holds only the URL) and its host, then waits.
import { Box, Text, useInput } from 'ink';
import type { ElicitationResult } from '../../mcp/client-requests.js';
import { tint, useTheme } from '../components/theme.js';
import { wrapAnsi } from '../text/wrap.js';

export interface UrlDialogProps {
  server: string;
  /** The server's message, already safe for the terminal. */
  message: string;
  /** The URL, already safe for the terminal. */
  url: string;
  onAnswer: (result: ElicitationResult) => void;
  width: number;
  waiting?: number;
  isActive?: boolean;
}

/** The host people should check before they open it (undefined when the URL does not parse). */
export function urlHost(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? undefined : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

export function UrlDialog({ server, message, url, onAnswer, width, waiting = 0, isActive = true }: UrlDialogProps): React.JSX.Element {
  const theme = useTheme();
  useInput(
    (input, key) => {
      if ((key.ctrl && input === 'c') || key.escape) return onAnswer({ action: 'cancel' });
      if (key.return) return onAnswer({ action: 'accept' });
      if (input.toLowerCase() === 'd') onAnswer({ action: 'decline' });
    },
    { isActive },
  );
  const boxWidth = Math.min(width, 100);
  const accent = tint(theme, 'accent');
  const host = urlHost(url);
  const secure = url.toLowerCase().startsWith('https://');
  return (
    <Box flexDirection="column" borderStyle="round" borderLeft={false} borderRight={false} borderColor={accent.color} width={boxWidth}>
      <Text bold {...accent} wrap="truncate-end">{`${server} asks you to open a URL`}</Text>
      <Text>{wrapAnsi(message || '(no message)', boxWidth)}</Text>
      <Box marginTop={1} flexDirection="column">
        <Text underline>{url}</Text>
      </Box>
      <Text dimColor wrap="wrap">
        {host ? `site: ${host}${secure ? '' : '  (not https)'}` : 'this does not look like a URL a browser can open'}
      </Text>
      <Box marginTop={1} flexDirection="column">
        <Text dimColor wrap="wrap">
          mcpsh does not open it: copy it into your browser, finish there, then come back.
        </Text>
        {waiting > 0 ? <Text dimColor>{`${waiting} more request${waiting === 1 ? '' : 's'} waiting`}</Text> : null}
        <Text wrap="wrap">
          <Text bold>Enter</Text>
          {': done, I opened it · '}
          <Text bold>d</Text>
          {': decline · '}
          <Text bold>Esc</Text>
          {': cancel'}
        </Text>
      </Box>
    </Box>
  );
}
