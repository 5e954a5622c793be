// Words for validation messages: JSON paths as people write them, what was found, what a schema expects,
// and "did you mean" suggestions for misspelt keys.
import { closestMatch } from '../suggest.js';
import { z } from 'zod';
import type { JsonPath } from './interpolate.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `mcpServers.db.args[1]`; keys that are not plain words are bracketed: `mcpServers["my server"]`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (IDENT.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(top level)' : out;
}

function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** What a value is, in words: `a string "foo"`, `a number 5`, `an array`, `nothing`. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : `a string ${JSON.stringify(shorten(value))}`;
  if (typeof value === 'number') return `a number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  return 'an object';
}

export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

function plural(schema: z.ZodType): string {
  const s = unwrap(schema);
  if (s instanceof z.ZodString || s instanceof z.ZodURL) return 'strings';
  if (s instanceof z.ZodNumber) return 'numbers';
  if (s instanceof z.ZodBoolean) return 'booleans';
  if (s instanceof z.ZodArray) return 'arrays';
  if (s instanceof z.ZodObject || s instanceof z.ZodRecord) return 'objects';
  return 'values';
}

/** What a schema accepts, in words: `an array of strings`, `a number greater than 0`. */
export function describeExpected(schema: z.ZodType): string {
  const s = unwrap(schema);
  if (s instanceof z.ZodURL) return 'an http:// or https:// URL';
  if (s instanceof z.ZodString) return (s.minLength ?? 0) > 0 ? 'a non-empty string' : 'a string';
  if (s instanceof z.ZodNumber) return s.isInt ? 'a whole number' : 'a number';
  if (s instanceof z.ZodBoolean) return 'true or false';
  if (s instanceof z.ZodArray) return `an array of ${plural(s.element as z.ZodType)}`;
  if (s instanceof z.ZodRecord) return `an object whose values are ${plural(s.valueType as z.ZodType)}`;
  if (s instanceof z.ZodObject) return 'an object';
  if (s instanceof z.ZodEnum) return `one of ${s.options.map((o) => JSON.stringify(o)).join(', ')}`;
  if (s instanceof z.ZodLiteral) return [...s.values].map((v) => JSON.stringify(v)).join(' or ');
  if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).map(describeExpected).join(' or ');
  return 'a valid value';
}

/** The schema found by following `path` into `schema`, or undefined when the path leaves it. */
export function schemaAt(schema: z.ZodType, path: JsonPath): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const part of path) {
    if (!s) return undefined;
    const u = unwrap(s);
    if (u instanceof z.ZodObject && typeof part === 'string') s = (u.shape as Record<string, z.ZodType>)[part];
    else if (u instanceof z.ZodRecord) s = u.valueType as z.ZodType;
    else if (u instanceof z.ZodArray) s = u.element as z.ZodType;
    else return undefined;
  }
  return s;
}

/** The value at `path` in a JSON-like tree. */
export function valueAt(root: unknown, path: JsonPath): unknown {
  let v: unknown = root;
  for (const part of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[part];
  }
  return v;
}

/** Names other clients (or people) use for a key mcpsh spells differently. */
const ALIASES: Record<string, string> = {
  cmd: 'command',
  arguments: 'args',
  argv: 'args',
  environment: 'env',
  httpUrl: 'url',
  serverUrl: 'url',
  endpoint: 'url',
  workingDirectory: 'cwd',
  servers: 'mcpServers',
};

/** The known key closest to `word` (case-insensitive, a few edits at most), if any is close. */
export function suggest(word: string, known: Iterable<string>): string | undefined {
  const candidates = [...known];
  const alias = ALIASES[word];
  if (alias && candidates.includes(alias)) return alias;
  return closestMatch(word, candidates);
}
