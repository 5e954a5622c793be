// Config text shown in the trust review: every character that could hide, move, overwrite or reorder what
// is printed (controls, ESC sequences, bidi marks, invisible format characters) is shown as an escape instead.

/** Characters that are escaped everywhere: controls (C0, DEL, C1), format characters (bidi, zero-width, tags),
 *  line/paragraph separators, unusual spaces, private-use and unpaired surrogates. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}]|(?! )\p{Zs}|\p{Cs}/u;
/** Strong right-to-left scripts: one of them reorders the neutral text around it in a bidi terminal. */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
/** A combining mark drawn over ASCII could disguise a quote, a slash or a letter. */
const MARK = /\p{M}/u;
/** Printed without quotes: nothing in it needs escaping or looks like shell syntax (servers get no shell). */
const BARE = /^[A-Za-z0-9_@%+=:,./~^${}*?#!-]+$/;

export interface VisibleOptions {
  /** Escape every non-ASCII character (commands, URLs, names: a look-alike letter runs another program). */
  ascii?: boolean;
}

function escapeCode(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The body of `text` with `\`, `"` and every hidden character escaped (JSON-style escapes, as in the file). */
export function visible(text: string, opts: VisibleOptions = {}): string {
  let out = '';
  let prevAscii = true;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code > 0x7e && opts.ascii === true) out += escapeCode(ch);
    else if (HIDDEN.test(ch) || RTL.test(ch) || (prevAscii && MARK.test(ch))) out += escapeCode(ch);
    else out += ch;
    prevAscii = code < 0x80;
  }
  return out;
}

/** `text` as one token: bare when it is plain, else in double quotes with everything hidden escaped. */
export function shown(text: string, opts: VisibleOptions = {}): string {
  return BARE.test(text) ? text : `"${visible(text, opts)}"`;
}

/** Several values as one line of tokens (a command line, a list of names). */
export function shownList(values: readonly string[], opts: VisibleOptions = {}): string {
  return values.map((v) => shown(v, opts)).join(' ');
}
