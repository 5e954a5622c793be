// Checks tool arguments against the tool's input schema before a call is sent, and words each
// problem as a sentence a person (or the model) can act on. A schema we cannot compile never blocks a call.
//
// Dialects: a schema is checked in the dialect it names ($schema 2020-12, 2019-09, else draft-07); one without
// $schema is 2020-12 when a modern-era (2026-07-28) server listed it (that revision's default dialect; the
// connection marks those schemas, schema-dialect.ts) and draft-07 otherwise. No $ref is ever fetched: ajv runs
// without loadSchema, so a $ref it cannot resolve inside the schema (a network URL, a dangling pointer) makes
// the schema uncompilable; the call then goes out unchecked, the server judging the arguments, and
// schemaProblem (shown by `doctor`) says which reference it was. Compiled validators are cached by dialect and
// schema content (JSON), so each schema is compiled once however often it is used, and a changed one is followed.
// A null given for an optional property means "not given" for this check (the arguments are sent as they are).
import { closestMatch } from '../suggest.js';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { errorMessage } from '../errors.js';
import { exceedsJsonDepth, nestedTooDeep } from '../json-depth.js';
import { dialectOf, type Dialect } from './schema-dialect.js';

export type ValidationResult = { ok: true } | { ok: false; problems: string[] };

type Compiled = { validate: ValidateFunction } | { problem: string };

const CACHE_MAX = 500;
const FOUND_MAX = 60;

// verbose keeps the offending data and the parent schema on each error, for "found" and "did you mean".
// Formats are not checked (no format plugin): the server is the judge of those.
const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: false,
  verbose: true,
  validateFormats: false,
  addUsedSchema: false,
  logger: false,
};

let draft07: Ajv | undefined;
let draft2019: Ajv2019 | undefined;
let draft2020: Ajv2020 | undefined;
const cache = new Map<string, Compiled>();
export { useModernDialect } from './schema-dialect.js';

export interface SchemaOptions {
  /** The era of the server that listed the schema, when the caller knows it better than the mark does. */
  era?: 'modern' | 'legacy';
}

function ajvFor(dialect: Dialect): Ajv | Ajv2019 | Ajv2020 {
  if (dialect === '2020-12') return (draft2020 ??= new Ajv2020(AJV_OPTIONS));
  if (dialect === '2019-09') return (draft2019 ??= new Ajv2019(AJV_OPTIONS));
  return (draft07 ??= new Ajv(AJV_OPTIONS));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Older drafts (04, 06) are close enough to 07 to check with it; ajv only knows metaschemas it loaded. */
function forDraft07(schema: Record<string, unknown>): Record<string, unknown> {
  const dialect = schema.$schema;
  if (typeof dialect !== 'string' || dialect.includes('draft-07')) return schema;
  const { $schema: _dropped, ...rest } = schema;
  return rest;
}

function compile(schema: unknown, options: SchemaOptions): Compiled {
  const dialect = dialectOf(schema, options.era);
  let key: string;
  try {
    key = `${dialect}\n${JSON.stringify(schema)}`;
  } catch (err) {
    return { problem: `the schema is not plain JSON (${errorMessage(err)})` };
  }
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compileUncached(schema, dialect);
  if (cache.size >= CACHE_MAX) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, compiled);
  return compiled;
}

function compileUncached(schema: unknown, dialect: Dialect): Compiled {
  if (typeof schema === 'boolean') return { validate: ajvFor(dialect).compile(schema) };
  if (!isObject(schema)) return { problem: `the schema must be a JSON object (found ${describeFound(schema)})` };
  const ajv = ajvFor(dialect);
  const usable = dialect === 'draft-07' ? forDraft07(schema) : schema;
  try {
    // A fresh copy: ajv keeps compiled schemas keyed by object identity, and the caller's object may change.
    return { validate: ajv.compile(structuredClone(usable)) };
  } catch (err) {
    const missing = (err as { missingRef?: unknown }).missingRef;
    if (typeof missing === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(missing) && !missing.startsWith('#')) {
      return { problem: `the schema refers to ${missing}, which mcpsh does not fetch (arguments are left for the server to check)` };
    }
    return { problem: errorMessage(err) };
  }
}

/** Why a schema cannot be used for checking, or undefined when it can (or when there is none). */
export function schemaProblem(schema: unknown, options: SchemaOptions = {}): string | undefined {
  if (schema === undefined) return undefined;
  const compiled = compile(schema, options);
  return 'problem' in compiled ? compiled.problem : undefined;
}

/**
 * Validates tool arguments. Missing arguments count as `{}`, as the call sends no arguments then.
 * When the schema cannot be compiled the result is ok: the server will decide (see schemaProblem).
 */
export function validateArgs(schema: unknown, args: unknown, options: SchemaOptions = {}): ValidationResult {
  // Arguments this deep could not even be sent (serialising them would overflow the stack).
  if (exceedsJsonDepth(args)) return { ok: false, problems: [`the arguments are ${nestedTooDeep()}`] };
  if (schema === undefined) return { ok: true };
  const compiled = compile(schema, options);
  if ('problem' in compiled) return { ok: true };
  const data = args === undefined ? {} : args;
  if (compiled.validate(data)) return { ok: true };
  const errors = [...(compiled.validate.errors ?? [])];
  const problems = [...new Set(withNullsAsAbsent(compiled.validate, data, errors).map(describeError))];
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/**
 * The errors once every property given as null is taken as not given (the spec's "omit null" reading, which
 * the SDK applies to Mcp-Param headers too): a copy without those keys is checked. A required property given as
 * null keeps what the first check said of it; an optional one is simply absent.
 */
function withNullsAsAbsent(validate: ValidateFunction, data: unknown, errors: ErrorObject[]): ErrorObject[] {
  const removed = new Set<string>();
  const copy = withoutNullProperties(data, '', removed);
  if (removed.size === 0) return errors;
  if (validate(copy)) return [];
  return (validate.errors ?? []).flatMap((error) => {
    if (error.keyword !== 'required') return [error];
    const pointer = `${error.instancePath}/${escapePointer(String((error.params as { missingProperty?: unknown }).missingProperty))}`;
    // Required and given as null: what the first check said of that value (nothing, if null was acceptable).
    return removed.has(pointer) ? errors.filter((original) => original.instancePath === pointer) : [error];
  });
}

/** A copy of `value` without the object properties whose value is null (their JSON pointers go to `removed`). */
function withoutNullProperties(value: unknown, pointer: string, removed: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((item, i) => withoutNullProperties(item, `${pointer}/${i}`, removed));
  if (!isObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const at = `${pointer}/${escapePointer(key)}`;
    if (item === null) removed.add(at);
    // defineProperty: a "__proto__" key from JSON stays a plain property of the copy.
    else Object.defineProperty(copy, key, { value: withoutNullProperties(item, at, removed), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    // JSON.stringify gives undefined for functions and symbols, which never come out of JSON anyway.
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return text.length > FOUND_MAX ? `${text.slice(0, FOUND_MAX - 1)}…` : text;
}

function withPath(path: string, sentence: string): string {
  return path === '' ? sentence : `${path}: ${sentence}`;
}

function describeError(error: ErrorObject): string {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return withPath(path, `missing required property "${String(params.missingProperty)}"`);
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = String(params.additionalProperty ?? params.unevaluatedProperty);
      const suggestion = closestMatch(extra, knownProperties(error.parentSchema));
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      return withPath(path, `unexpected property "${extra}"${hint}`);
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map((v) => describeFound(v)).join(', ') : '';
      return withPath(path, `must be one of ${allowed} (found ${describeFound(error.data)})`);
    }
    case 'const':
      return withPath(path, `must be ${describeFound(params.allowedValue)} (found ${describeFound(error.data)})`);
    case 'anyOf':
    case 'oneOf':
    case 'if':
    case 'not':
      // The branch errors that follow carry the found values; repeating the whole object helps no one.
      return withPath(path, error.message ?? 'is not valid');
    default:
      return withPath(path, `${error.message ?? 'is not valid'} (found ${describeFound(error.data)})`);
  }
}

function knownProperties(parentSchema: unknown): string[] {
  if (!isObject(parentSchema) || !isObject(parentSchema.properties)) return [];
  return Object.keys(parentSchema.properties);
}
