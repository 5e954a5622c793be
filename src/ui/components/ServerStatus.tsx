// One line with each server's state while any is not ready: ◌ connecting, ● ready, ✗ failed
// (the reason is in /servers). Hidden once every server is ready.
import { Text } from 'ink';
import { Fragment } from 'react';
import { SYMBOLS, tint, useTheme, type ColorName } from './theme.js';
import type { ServerView } from '../state/transcript.js';

const LOOK: Record<ServerView['state'], { symbol: string; color: ColorName; label: string }> = {
  connecting: { symbol: SYMBOLS.connecting, color: 'warn', label: 'connecting' },
  restarting: { symbol: SYMBOLS.connecting, color: 'warn', label: 'restarting' },
  ready: { symbol: SYMBOLS.ready, color: 'success', label: 'ready' },
  failed: { symbol: SYMBOLS.failed, color: 'error', label: 'failed' },
  disabled: { symbol: SYMBOLS.disabled, color: 'muted', label: 'disabled' },
  closed: { symbol: SYMBOLS.disabled, color: 'muted', label: 'closed' },
};

export function ServerStatus({ servers }: { servers: ServerView[] }): React.JSX.Element | null {
  const theme = useTheme();
  if (servers.every((s) => s.state === 'ready')) return null;
  const failed = servers.some((s) => s.state === 'failed');
  return (
    <Text wrap="wrap">
      {servers.map((s, i) => {
        const look = LOOK[s.state];
        return (
          <Fragment key={s.name}>
            {i > 0 ? '  ' : ''}
            <Text {...tint(theme, look.color)}>{look.symbol}</Text>
            {` ${s.name}`}
            {s.state === 'ready' ? null : <Text dimColor>{` ${look.label}`}</Text>}
          </Fragment>
        );
      })}
      {failed ? <Text dimColor>{'  (/servers for why)'}</Text> : null}
    </Text>
  );
}
