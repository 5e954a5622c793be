// Redaction of secrets from anything mcpsh prints or logs: known secret values, and values whose
// names say they are credentials (Authorization headers, *_TOKEN env entries, apiKey, ...).
import { isCredentialName } from '../config/secrets.js';
import { AppError } from '../errors.js';

export const REDACTED = '***';

/** Shorter strings would mask ordinary words and numbers everywhere. */
const MIN_SECRET_LENGTH = 4;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A function that replaces every occurrence of each secret (length >= 4) with ***, longest first. */
export function makeRedactor(secrets: string[]): (text: string) => string {
  const usable = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return (text) => text;
  // One alternation, longest first, so a secret that contains another is masked whole.
  const pattern = new RegExp(usable.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

/**
 * The walkers below recurse; past this depth a value is replaced by a marker instead of overflowing the
 * stack. Inbound JSON is refused far earlier (MAX_JSON_DEPTH in src/json-depth.ts): this is the backstop.
 */
export const MAX_REDACT_DEPTH = 1024;
export const TOO_DEEP_MARKER = '[nested too deep]';

/** A deep copy of `value` with secrets masked inside strings and credential-named string fields replaced by ***. */
export function redactConfig<T>(value: T, secrets: string[]): T {
  const redact = makeRedactor(secrets);
  const walk = (v: unknown, key: string | undefined, depth: number): unknown => {
    if (typeof v === 'string') return key !== undefined && isCredentialName(key) && v !== '' ? REDACTED : redact(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= MAX_REDACT_DEPTH) return TOO_DEEP_MARKER;
    if (Array.isArray(v)) return v.map((item: unknown) => walk(item, undefined, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k, depth + 1)]));
  };
  return walk(value, undefined, 0) as T;
}

// The process-wide redactor: the loader's secrets (and the model's key) are registered once known, and
// everything mcpsh prints or logs passes through redact(). Secrets are only ever added: a value that
// was secret once stays masked for the rest of the process, even if the config is reloaded.
const registered = new Set<string>();
let current: (text: string) => string = (text) => text;
let longest = 0;

/** Registers values that must never be printed (the loader's `secrets`, the model's API key). */
export function addSecrets(secrets: Iterable<string | undefined>): void {
  const before = registered.size;
  for (const s of secrets) if (s !== undefined && s.length >= MIN_SECRET_LENGTH) registered.add(s);
  if (registered.size === before) return;
  current = makeRedactor([...registered]);
  longest = Math.max(0, ...[...registered].map((s) => s.length));
}

/** `text` with every registered secret replaced by ***. */
export function redact(text: string): string {
  return current(text);
}

/** A deep copy of a JSON-like value with registered secrets masked inside every string (and object key). */
export function redactValue<T>(value: T): T {
  if (registered.size === 0) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return current(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= MAX_REDACT_DEPTH) return TOO_DEEP_MARKER;
    if (Array.isArray(v)) return v.map((item: unknown) => walk(item, depth + 1));
    const toJson = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') return walk((toJson as () => unknown).call(v), depth + 1);
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [current(k), walk(item, depth + 1)]));
  };
  return walk(value, 0) as T;
}

/**
 * Redaction for text that arrives in pieces (a streamed answer): a secret split across two pieces is
 * still masked. Only a tail that could be the start of a secret is held back until the next piece or
 * flush(), so ordinary text streams through at once.
 */
export function createStreamRedactor(): { push(text: string): string; flush(): string } {
  let pending = '';
  return {
    push(text) {
      if (registered.size === 0) return text;
      const masked = current(pending + text);
      const keep = heldTail(masked);
      pending = masked.slice(masked.length - keep);
      return masked.slice(0, masked.length - keep);
    },
    flush() {
      const out = current(pending);
      pending = '';
      return out;
    },
  };
}

/** Length of the longest suffix of `text` that is a proper prefix of some registered secret. */
function heldTail(text: string): number {
  for (let n = Math.min(longest - 1, text.length); n > 0; n--) {
    const tail = text.slice(text.length - n);
    for (const s of registered) if (s.length > n && s.startsWith(tail)) return n;
  }
  return 0;
}

/** The same error with registered secrets masked in its message and hint (the cause is dropped: it may hold them too). */
export function redactError(err: AppError): AppError {
  if (registered.size === 0) return err;
  return new AppError(err.code, current(err.message), err.hint === undefined ? {} : { hint: current(err.hint) });
}
