// Markdown to terminal text (marked + marked-terminal): headings, lists, emphasis, links, tables and
// highlighted code, wrapped to a width. Pure and cached, so re-rendering an unchanged block is free.
import { Marked, type MarkedExtension, type Tokens } from 'marked';
import { markedTerminal } from 'marked-terminal';
import { stripAnsi, stripColors } from './ansi.js';
import { styledSafe } from './display-safe.js';
import { wrapAnsi } from './wrap.js';

export interface MarkdownOptions {
  width: number;
  color: boolean;
}

const instances = new Map<number, Marked>();
const cache = new Map<string, string>();
const CACHE_MAX = 200;
const MIN_WIDTH = 20;
const ESC = '\u001b';

function markedFor(width: number): Marked {
  let marked = instances.get(width);
  if (!marked) {
    marked = new Marked();
    marked.use(markedTerminal({ width, reflowText: true, showSectionPrefix: false, tab: 2, emoji: false }) as unknown as MarkedExtension);
    // Always `text (url)`: terminal hyperlink escapes are not understood everywhere and confuse width counting.
    marked.use({
      renderer: {
        // marked-terminal prints a tight list item's text raw; its inline tokens (code, bold, links) need parsing.
        text(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Text | Tokens.Escape): string | false {
          return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
        },
        link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link): string {
          const text = this.parser.parseInline(token.tokens);
          const plain = stripAnsi(text);
          return plain === token.href || plain === '' ? `\u001b[4m${token.href}\u001b[24m` : `${text} (\u001b[4m${token.href}\u001b[24m)`;
        },
      },
    });
    instances.set(width, marked);
  }
  return marked;
}

/** ANSI text for `source`, at most `width` columns wide where the text can be wrapped (code and tables are not). */
export function renderMarkdown(source: string, options: MarkdownOptions): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width));
  const key = `${width}:${options.color ? 1 : 0}:${source}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let out: string;
  try {
    out = markedFor(width).parse(source, { async: false });
  } catch {
    // Markdown that marked cannot handle is still worth reading as it is.
    out = source;
  }
  out = wrapAnsi(out.replaceAll(`${ESC}[0m`, '').replace(/\s+$/, '').replace(/^\n+/, ''), width);
  if (!options.color) out = stripColors(out);
  // After rendering, not only before: entities in the Markdown become characters here.
  out = styledSafe(out);
  if (cache.size >= CACHE_MAX) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, out);
  return out;
}
