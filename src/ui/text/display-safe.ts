// The chat's display boundary: every value that enters the screen state (ChatStore) passes here, so each
// string in it — a server's tool names and results, a model's answer, errors, /tools and /stats output —
// is terminal-safe before any component sees it, and no component can forget. Display copies only: what
// the model, the audit log and the transcript file get is never changed.
import { terminalSafe } from '../../output/safe-text.js';
import { SGR_SOURCE } from './ansi.js';

/** Deeper than this, a value is shown as a marker (the screen has no use for it, and recursion is bounded). */
const MAX_DEPTH = 64;
const TOO_DEEP = '[nested too deep to show]';

/** A copy of `value` with every string made terminal-safe (plain objects, arrays and errors are walked). */
export function displaySafe<T>(value: T): T {
  return walk(value, 0) as T;
}

function walk(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return terminalSafe(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (value instanceof Error) return safeError(value, depth);
  // Class instances other than errors (none carry outside text today) are left as they are.
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  // Keys are shown too (argument names); defineProperty, so a `__proto__` key stays a key.
  for (const [key, v] of Object.entries(value)) define(out, terminalSafe(key), walk(v, depth + 1));
  return out;
}

/** The same kind of error (AppError keeps its class) with message, hint and the rest made safe. */
function safeError(err: Error, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(err) as object) as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(err)) define(copy, key, walk((err as unknown as Record<string, unknown>)[key], depth + 1));
  return copy as unknown as Error;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const SGR_SPLIT = new RegExp(`(${SGR_SOURCE})`);

/**
 * Text mcpsh styled itself from outside text (Markdown rendered by marked-terminal): its colour and style
 * sequences stay, anything else is made safe — Markdown can turn `&#27;` or `&#8238;` into the very
 * characters the input was cleaned of.
 */
export function styledSafe(text: string): string {
  return text
    .split(SGR_SPLIT)
    .map((part, i) => (i % 2 === 1 ? part : terminalSafe(part)))
    .join('');
}
