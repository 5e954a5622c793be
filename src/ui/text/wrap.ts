// Word wrapping for ANSI-styled lines with a hanging indent (list items and code keep their
// indentation when they continue). Styles are closed at each break and reopened on the next line.
import { SGR_SOURCE, stripAnsi } from './ansi.js';

const SGR_SPLIT = new RegExp(`(${SGR_SOURCE})`);
const SGR_ONE = new RegExp(`^${SGR_SOURCE}$`);
const LIST_LEAD = /^(\s*)((?:[*\-+•]|\d{1,9}[.)])\s+)?/;
const TABLE_CHARS = /[│┌├└┬┼┴┐┤┘]/;

/** Wraps every line wider than `width`; table rows are left alone (they cannot be wrapped by words). */
export function wrapAnsi(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const plain = stripAnsi(line);
      if ([...plain].length <= width || TABLE_CHARS.test(plain)) return [line];
      return wrapLine(line, width);
    })
    .join('\n');
}

interface Unit {
  code?: string;
  char?: string;
}

export function wrapLine(line: string, width: number): string[] {
  const plain = stripAnsi(line);
  const lead = LIST_LEAD.exec(plain)?.[0] ?? '';
  const hang = Math.min([...lead].length, Math.floor(width / 2));
  const units: Unit[] = [];
  for (const part of line.split(SGR_SPLIT)) {
    if (part === '') continue;
    if (SGR_ONE.test(part)) units.push({ code: part });
    else for (const char of part) units.push({ char });
  }

  const out: string[] = [];
  let codesSoFar = '';
  let current: Unit[] = [];
  let column = 0;
  let lastSpace = -1;
  const flush = (upTo: number): void => {
    const taken = current.slice(0, upTo);
    const text = taken
      .map((u) => u.code ?? u.char)
      .join('')
      .replace(/\s+$/, '');
    out.push(codesSoFar !== '' ? `${text}\u001b[0m` : text);
  };
  for (const unit of units) {
    if (unit.code !== undefined) {
      current.push(unit);
      continue;
    }
    if (column >= width) {
      const breakAt = lastSpace > hang ? lastSpace : current.length;
      const rest = current.slice(breakAt).filter((u, i) => i > 0 || u.char !== ' ');
      codesSoFar += current
        .slice(0, breakAt)
        .map((u) => u.code ?? '')
        .join('');
      flush(breakAt);
      current = [...[...' '.repeat(hang)].map((char) => ({ char })), ...(codesSoFar ? [{ code: codesSoFar }] : []), ...rest];
      column = current.filter((u) => u.char !== undefined).length;
      lastSpace = -1;
    }
    if (unit.char === ' ') lastSpace = current.length;
    current.push(unit);
    column += 1;
  }
  out.push(current.map((u) => u.code ?? u.char).join(''));
  return out;
}
