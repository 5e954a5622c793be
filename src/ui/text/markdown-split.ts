// Where a streaming answer can be cut: after a finished Markdown block, so finished blocks go to the
// transcript's static part and only the block still being written re-renders (and stays short).

export interface StreamSplit {
  /** Whole blocks, ready to render once. */
  committed: string;
  /** The block still being written. */
  rest: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ORDERED_ITEM = /^ {0,3}\d{1,9}[.)](\s|$)/;

/**
 * Cuts at the last blank line outside a code fence after which a new block has visibly started.
 * Never before an indented line (a list item's continuation) or an ordered-list item (its
 * numbering would restart when rendered on its own).
 */
export function splitStreamingMarkdown(text: string): StreamSplit {
  const lines = text.split('\n');
  let fence: string | undefined;
  let offset = 0;
  let cut = -1;
  let previousBlank = false;
  let blankStart = -1;
  // The last line may still be growing: it can start a block but is never judged complete.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const marker = FENCE.exec(line)?.[1];
    const blank = line.trim() === '';
    const growing = i === lines.length - 1;
    if (fence === undefined && !blank && previousBlank && blankStart > 0 && startsBlock(line, growing)) cut = blankStart;
    if (marker !== undefined) {
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    }
    if (blank && !previousBlank) blankStart = offset;
    previousBlank = blank && fence === undefined;
    offset += line.length + 1;
  }
  if (cut <= 0) return { committed: '', rest: text };
  const committed = text.slice(0, cut).replace(/\s+$/, '');
  if (committed === '') return { committed: '', rest: text };
  return { committed, rest: text.slice(cut).replace(/^\s*\n/, '') };
}

function startsBlock(line: string, growing: boolean): boolean {
  if (/^\s/.test(line) || ORDERED_ITEM.test(line)) return false;
  // "2" may be about to become "2. item": wait for more of a line still being written.
  return !(growing && /^\d{1,9}[.)]?$/.test(line));
}
