// Redaction of secrets from anything mcpsh prints or logs: known secret values, and values whose
// names say they are credentials (Authorization headers, *_TOKEN env entries, apiKey, ...).
import { isCredentialName } from '../config/secrets.js';

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

/** A deep copy of `value` with secrets masked inside strings and credential-named string fields replaced by ***. */
export function redactConfig<T>(value: T, secrets: string[]): T {
  const redact = makeRedactor(secrets);
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string') return key !== undefined && isCredentialName(key) && v !== '' ? REDACTED : redact(v);
    if (Array.isArray(v)) return v.map((item: unknown) => walk(item, undefined));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    }
    return v;
  };
  return walk(value, undefined) as T;
}
