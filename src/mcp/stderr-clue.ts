// Picks the line of a server's stderr that explains why it died: the error it threw, not the runtime's
// trailing banner ("Node.js v20.20.2"), a stack frame or a caret under a source line.

/** Lines that never explain anything on their own: stack frames, carets, braces, runtime banners. */
const NOISE = [
  /^\s+at\s/,
  /^\s*\^+\s*$/,
  /^\s*[{}[\]()]+,?\s*$/,
  /^Node\.js v\d/,
  /^Traceback \(most recent call last\)/,
  /^\s+File ".*", line \d+/,
];

/** A thrown error's headline in Node, Python, Java, Go, Rust, ...: `TypeError: …`, `Error [ERR_X]: …`, `panic: …`. */
const HEADLINE =
  /^(?:Uncaught\s+)?(?:[\w.$]*(?:Error|Exception)(?:\s*\[[\w-]+\])?|panic|fatal(?: error)?|error(?:\[\w+\])?|FATAL|ERROR)\s*:\s*\S/;

/** Words that make a line a likely reason. */
const REASON =
  /\b(?:error|exception|cannot|can't|could not|couldn't|unable|failed|fatal|panic|missing|not found|no such|denied|refused|invalid|ENOENT|EACCES|EADDRINUSE)\b/i;

/**
 * The most informative of the last stderr lines, or undefined when there are none: the last error headline,
 * else the last line with a reason word, else the last line that is not noise (else simply the last line).
 */
export function informativeLine(lines: readonly string[]): string | undefined {
  const useful = lines.filter((l) => l.trim() !== '' && !NOISE.some((re) => re.test(l)));
  const pick = findLast(useful, (l) => HEADLINE.test(l.trim())) ?? findLast(useful, (l) => REASON.test(l)) ?? useful.at(-1) ?? lines.at(-1);
  return pick?.trim();
}

function findLast(lines: readonly string[], test: (line: string) => boolean): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line !== undefined && test(line)) return line;
  }
  return undefined;
}
