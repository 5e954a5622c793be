// A small lexical index over tool definitions (BM25 with weighted fields), offline and in memory:
// what `mcpsh_search_tools` ranks with. Documents are added, replaced and removed one at a time, so a
// server that becomes ready late, or changes its list, joins without rebuilding the rest.

/** What is indexed of one tool; all texts are the full, uncut ones the server sent. */
export interface ToolDocument {
  /** The model-facing name (`<server>__<tool>`); also the document's id. */
  name: string;
  /** The server's own name for the tool, and the server's name. */
  tool: string;
  server: string;
  title?: string;
  description?: string;
  /** Property names of the input schema (top level). */
  params: readonly string[];
}

export interface SearchHit {
  name: string;
  score: number;
}

// Field weights: a word in the name says more about the tool than one in a long description.
const WEIGHT = { name: 3, title: 2, params: 1.5, description: 1 } as const;
const K1 = 1.2;
const B = 0.75;
/** Longest text of one field that is indexed: a hostile 1 MB description costs no more than this. */
const MAX_FIELD_CHARS = 8_000;
/** Longest query that is read. */
const MAX_QUERY_CHARS = 1_000;

const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'in',
  'is',
  'it',
  'of',
  'on',
  'or',
  'that',
  'the',
  'this',
  'to',
  'with',
]);

/**
 * Words of a text, lower-cased: camelCase, snake_case, kebab-case and dotted names are split
 * (`getUserProfile`, `get_user_profile` -> get, user, profile; `getHTTPResponse` -> get, http, response),
 * stop words dropped, plurals folded. One pass over the characters: indexing 10,000 tools stays cheap.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const end = Math.min(text.length, MAX_FIELD_CHARS);
  let start = -1;
  const flush = (at: number): void => {
    if (start < 0) return;
    const word = text.slice(start, at).toLowerCase();
    start = -1;
    if (!STOP_WORDS.has(word)) out.push(stem(word));
  };
  let prev = OTHER;
  for (let i = 0; i < end; i++) {
    const kind = classOf(text.charCodeAt(i), text, i);
    if (kind === OTHER) {
      flush(i);
    } else if (start < 0) {
      start = i;
    } else if (kind === UPPER && (prev === LOWER || prev === DIGIT)) {
      // "getUser": a capital after a small letter starts a word.
      flush(i);
      start = i;
    } else if (kind === LOWER && prev === UPPER && i - start > 1) {
      // "HTTPResponse": the last capital of a run starts the next word.
      flush(i - 1);
      start = i - 1;
    }
    prev = kind;
  }
  flush(end);
  return out;
}

const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function classOf(code: number, text: string, at: number): number {
  if (code >= 97 && code <= 122) return LOWER;
  if (code >= 65 && code <= 90) return UPPER;
  if (code >= 48 && code <= 57) return DIGIT;
  if (code < 128) return OTHER;
  // Other scripts: a letter is a letter; case only splits words in ASCII names.
  const char = text[at] ?? '';
  return LETTER_OR_DIGIT.test(char) ? LOWER : OTHER;
}

/** A light plural fold, the same on both sides: "issues" and "issue" meet; "status" and "class" stay. */
function stem(word: string): string {
  if (word.length <= 3 || !word.endsWith('s') || word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  return word.slice(0, -1);
}

interface Entry {
  slot: number;
  length: number;
  /** The document's distinct terms and their weighted frequencies, side by side. */
  terms: string[];
  tfs: number[];
}

/** One term's documents as parallel arrays (cheap to build for 10,000 tools); removed ones are skipped. */
interface Posting {
  slots: number[];
  tfs: number[];
  /** Documents that still hold the term (its document frequency). */
  live: number;
}

export class ToolSearchIndex {
  private readonly entries = new Map<string, Entry>();
  private postings = new Map<string, Posting>();
  /** By slot; undefined once removed. Slots are not reused until the next compaction. */
  private names: (string | undefined)[] = [];
  private lengths: number[] = [];
  private totalLength = 0;
  /** Reused for every document: indexing 10,000 tools should not make 10,000 maps for the collector. */
  private readonly scratch = new Map<string, number>();

  get size(): number {
    return this.entries.size;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Adds the tool, or replaces the document of the same name. */
  upsert(doc: ToolDocument): void {
    this.remove(doc.name);
    const terms = this.scratch;
    terms.clear();
    const add = (text: string | undefined, weight: number): void => {
      if (!text) return;
      for (const term of tokenize(text)) terms.set(term, (terms.get(term) ?? 0) + weight);
    };
    add(`${doc.server} ${doc.tool}`, WEIGHT.name);
    add(doc.title, WEIGHT.title);
    add(doc.params.join(' '), WEIGHT.params);
    add(doc.description, WEIGHT.description);
    let length = 0;
    for (const tf of terms.values()) length += tf;
    const entry: Entry = { slot: -1, length, terms: [...terms.keys()], tfs: [...terms.values()] };
    this.place(doc.name, entry);
    this.entries.set(doc.name, entry);
    this.totalLength += length;
  }

  remove(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    for (const term of entry.terms) {
      const posting = this.postings.get(term);
      if (posting && --posting.live === 0) this.postings.delete(term);
    }
    this.names[entry.slot] = undefined;
    this.totalLength -= entry.length;
    this.entries.delete(name);
    // Removed documents leave holes in the postings; once they outnumber the live ones, rebuild.
    if (this.names.length > 1_000 && this.names.length > 2 * this.entries.size) this.compact();
  }

  private place(name: string, entry: Entry): void {
    entry.slot = this.names.length;
    this.names.push(name);
    this.lengths.push(entry.length);
    for (let i = 0; i < entry.terms.length; i++) {
      const term = entry.terms[i] as string;
      let posting = this.postings.get(term);
      if (!posting) this.postings.set(term, (posting = { slots: [], tfs: [], live: 0 }));
      posting.slots.push(entry.slot);
      posting.tfs.push(entry.tfs[i] as number);
      posting.live++;
    }
  }

  private compact(): void {
    this.postings = new Map();
    this.names = [];
    this.lengths = [];
    for (const [name, entry] of this.entries) this.place(name, entry);
  }

  /**
   * The best `limit` tools for the query, best first; ties go by name, so the same query over the same
   * tools always gives the same answer. A query naming a tool exactly puts that tool first.
   */
  search(query: string, limit: number): SearchHit[] {
    const n = this.entries.size;
    if (n === 0 || limit <= 0) return [];
    const text = query.slice(0, MAX_QUERY_CHARS);
    const terms = [...new Set(tokenize(text))];
    const avg = this.totalLength / n || 1;
    // Scores by slot in a flat array, plus the slots touched: no map per query over thousands of hits.
    const scores = new Float64Array(this.names.length);
    const touched: number[] = [];
    for (const term of terms) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = Math.log(1 + (n - posting.live + 0.5) / (posting.live + 0.5));
      const { slots, tfs } = posting;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as number;
        if (this.names[slot] === undefined) continue;
        const tf = tfs[i] as number;
        const length = this.lengths[slot] ?? avg;
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] = (scores[slot] ?? 0) + (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avg));
      }
    }
    const exact = this.entries.get(text.trim());
    if (exact) {
      if (scores[exact.slot] === 0) touched.push(exact.slot);
      scores[exact.slot] = (scores[exact.slot] ?? 0) + 1_000;
    }
    // Only the best `limit` are kept, in order, as the hits go by: no sort of thousands of matches.
    const top: SearchHit[] = [];
    for (const slot of touched) {
      const name = this.names[slot];
      if (name === undefined) continue;
      const hit = { name, score: scores[slot] ?? 0 };
      if (top.length === limit && !better(hit, top[limit - 1] as SearchHit)) continue;
      let at = top.length;
      while (at > 0 && better(hit, top[at - 1] as SearchHit)) at--;
      top.splice(at, 0, hit);
      if (top.length > limit) top.pop();
    }
    return top;
  }
}

/** Higher score first; equal scores by name, so results never depend on insertion order. */
function better(a: SearchHit, b: SearchHit): boolean {
  return a.score > b.score || (a.score === b.score && a.name < b.name);
}
