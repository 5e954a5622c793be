// ANSI SGR (style) escape sequences: one pattern for every module that measures or rewrites styled text.

/** An SGR sequence (ESC [ params m), as RegExp source. */
export const SGR_SOURCE = '\\u001b\\[[\\d;]*m';
/** The same, capturing the parameters. */
export const SGR_PARAMS_SOURCE = '\\u001b\\[([\\d;]*)m';

export function stripAnsi(text: string): string {
  return text.replace(new RegExp(SGR_SOURCE, 'g'), '');
}
