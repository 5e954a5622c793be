// Text that servers send (messages, titles, URLs, prompts) is shown on the person's terminal: escape
// sequences could move the cursor, recolour, retitle the window or hide text, so they are removed.

// ESC-introduced sequences (CSI ... final, OSC ... BEL/ST, and two-character escapes), then any other
// C0/C1 control character except newline and tab.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without escape sequences or control characters; tabs become spaces, CRLF becomes LF. */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ESCAPES, '').replace(CONTROLS, '').replace(/\t/g, '  ');
}

/** One line (whitespace runs folded), safe for the terminal, at most `max` characters. */
export function safeLine(text: string, max = 120): string {
  const line = terminalSafe(text).replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}
