// A Markdown block rendered for the terminal at the given width; `maxLines` keeps only the tail
// (for the answer still streaming, so the live area never outgrows the screen).
import { Text } from 'ink';
import { useMemo } from 'react';
import { useMarkdown } from './use-markdown.js';
import { useTheme } from './theme.js';

export interface MarkdownProps {
  text: string;
  width: number;
  maxLines?: number;
}

export function Markdown({ text, width, maxLines }: MarkdownProps): React.JSX.Element {
  const theme = useTheme();
  const render = useMarkdown();
  // The text as it is for the few milliseconds the renderer is still loading (use-markdown.ts).
  const rendered = useMemo(() => (render ? render(text, { width, color: theme.color }) : text), [render, text, width, theme.color]);
  let shown = rendered;
  if (maxLines !== undefined) {
    const lines = rendered.split('\n');
    if (lines.length > maxLines)
      shown = [`… (${lines.length - maxLines + 1} lines above)`, ...lines.slice(lines.length - maxLines + 1)].join('\n');
  }
  return <Text>{shown}</Text>;
}
