// Colours and symbols for the chat. NO_COLOR (https://no-color.org) turns colours off; bold, dim and
// inverse stay, since they carry meaning without colour.
import { createContext, useContext } from 'react';
import { SGR_PARAMS_SOURCE } from './ansi.js';

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

/** Removes colour codes from ANSI text, keeping bold, italic, underline, dim and inverse. */
export function stripColors(text: string): string {
  return text.replace(new RegExp(SGR_PARAMS_SOURCE, 'g'), (whole, params: string) => {
    if (params === '' || params === '0') return whole;
    const codes = params.split(';').map(Number);
    const kept: number[] = [];
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code === 38 || code === 48 || code === 58) {
        // Extended colour: 38;5;n or 38;2;r;g;b.
        i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
        continue;
      }
      if ((code >= 30 && code <= 39) || (code >= 40 && code <= 49) || (code >= 90 && code <= 97) || (code >= 100 && code <= 107) || code === 59) continue;
      kept.push(code);
    }
    return kept.length === 0 ? '' : `\u001b[${kept.join(';')}m`;
  });
}
