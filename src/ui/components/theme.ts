// Colours and symbols for the chat. NO_COLOR (https://no-color.org) turns colours off; bold, dim and
// inverse stay, since they carry meaning without colour.
import { createContext, useContext } from 'react';

export type ColorName = 'accent' | 'user' | 'success' | 'error' | 'warn' | 'muted' | 'link';

const PALETTE: Record<ColorName, string> = {
  accent: 'cyan',
  user: 'blueBright',
  success: 'green',
  error: 'red',
  warn: 'yellow',
  muted: 'gray',
  link: 'blue',
};

export interface Theme {
  color: boolean;
}

/** NO_COLOR set to anything non-empty turns colour off. */
export function themeFromEnv(env: NodeJS.ProcessEnv): Theme {
  return { color: env.NO_COLOR === undefined || env.NO_COLOR === '' };
}

export const ThemeContext = createContext<Theme>({ color: true });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** The Ink colour for a role, or undefined (the terminal's default) without colour. */
export function colorOf(theme: Theme, name: ColorName): string | undefined {
  return theme.color ? PALETTE[name] : undefined;
}

/** The colour for a role as Ink props: `{ color }`, or no colour prop at all without colour. */
export function tint(theme: Theme, name: ColorName): { color?: string } {
  return theme.color ? { color: PALETTE[name] } : {};
}

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export const SYMBOLS = {
  ok: '✓',
  error: '✗',
  denied: '⊘',
  cancelled: '■',
  waiting: '?',
  prompt: '›',
  arrow: '›',
  ready: '●',
  connecting: '◌',
  failed: '✗',
  disabled: '○',
} as const;
