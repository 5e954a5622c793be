// ANSI SGR (style) escape sequences: one pattern for every module that measures or rewrites styled text.

/** An SGR sequence (ESC [ params m), as RegExp source. */
export const SGR_SOURCE = '\\u001b\\[[\\d;]*m';
/** The same, capturing the parameters. */
export const SGR_PARAMS_SOURCE = '\\u001b\\[([\\d;]*)m';

export function stripAnsi(text: string): string {
  return text.replace(new RegExp(SGR_SOURCE, 'g'), '');
}

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
      if (
        (code >= 30 && code <= 39) ||
        (code >= 40 && code <= 49) ||
        (code >= 90 && code <= 97) ||
        (code >= 100 && code <= 107) ||
        code === 59
      )
        continue;
      kept.push(code);
    }
    return kept.length === 0 ? '' : `\u001b[${kept.join(';')}m`;
  });
}
