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
//
// Cost: arguments that match one of the plainest schemas pass without ajv (simple-schema.ts, which only ever
// agrees with ajv); all else is ajv's. Its draft-07 and 2020-12 classes come from the copy of ajv the MCP SDK
// bundles (one file the SDK has already loaded): loading the ajv package itself (~65 CommonJS files) costs
// ~35 ms of CPU, more than a tool call. Only 2019-09, which the SDK does not expose, loads the package. Each
// instance is made on first use. Schemas are compiled without checking them against their meta-schema first:
// compiling a meta-schema costs ~40 ms per dialect, more than everything else on a tool call. That check is
// made only when it can change an outcome: when the arguments look wrong (a schema that is not a valid schema
// never blocks a call), when a schema does not compile (its message says what is wrong with it), and in
// schemaProblem (doctor).
import { createRequire } from 'node:module';
import { Ajv as SdkAjv, AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { closestMatch } from '../suggest.js';
import { errorMessage } from '../errors.js';
import { exceedsJsonDepth, nestedTooDeep } from '../json-depth.js';
import { dialectOf, type Dialect } from './schema-dialect.js';
import { certainlyValid } from './simple-schema.js';

export type ValidationResult = { ok: true } | { ok: false; problems: string[] };

/** `sound`: the schema's meta-schema verdict, once asked (undefined: valid; a string: what is wrong with it). */
type Compiled = { validate: ValidateFunction; ajv: AnyAjv; sound?: { problem: string | undefined } } | { problem: string };
type AnyAjv = Ajv | Ajv2019 | Ajv2020;

const CACHE_MAX = 500;
const FOUND_MAX = 60;

// verbose keeps the offending data and the parent schema on each error, for "found" and "did you mean".
// Formats are not checked (no format plugin): the server is the judge of those.
// validateSchema: false; see "Cost" above (metaProblem makes that check when it matters).
const AJV_OPTIONS: Options = {
  allErrors: true,
  validateSchema: false,
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

// require, not import: the ajv package is CommonJS and loads synchronously, only when its class is needed.
const load = createRequire(import.meta.url);

type AjvClass<T> = new (options: Options) => T;

/**
 * The SDK's bundled Ajv2020 class: its validator's `ajv` getter (the 2020-12 engine, typed private) is an
 * instance of it. Checked by name and shape; when a later SDK hides it, the ajv package's own class is used.
 */
function sdkAjv2020(): AjvClass<Ajv2020> | undefined {
  try {
    const engine = (new AjvJsonSchemaValidator() as unknown as { ajv?: unknown }).ajv;
    const made = typeof engine === 'object' && engine !== null ? engine.constructor : undefined;
    return typeof made === 'function' && made.name === 'Ajv2020' ? (made as AjvClass<Ajv2020>) : undefined;
  } catch {
    return undefined;
  }
}

function ajvFor(dialect: Dialect): AnyAjv {
  if (dialect === '2020-12') {
    return (draft2020 ??= new (sdkAjv2020() ?? (load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020)(AJV_OPTIONS));
  }
  if (dialect === '2019-09')
    return (draft2019 ??= new (load('ajv/dist/2019.js') as typeof import('ajv/dist/2019.js')).Ajv2019(AJV_OPTIONS));
  return (draft07 ??= new (SdkAjv as unknown as AjvClass<Ajv>)(AJV_OPTIONS));
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
  if (typeof schema === 'boolean') {
    const ajv = ajvFor(dialect);
    return { validate: ajv.compile(schema), ajv, sound: { problem: undefined } };
  }
  if (!isObject(schema)) return { problem: `the schema must be a JSON object (found ${describeFound(schema)})` };
  const ajv = ajvFor(dialect);
  const usable = dialect === 'draft-07' ? forDraft07(schema) : schema;
  try {
    // A fresh copy: ajv keeps compiled schemas keyed by object identity, and the caller's object may change.
    return { validate: ajv.compile(structuredClone(usable)), ajv };
  } catch (err) {
    // What is wrong with the schema as a schema comes first (as when ajv checks it before compiling).
    const invalid = metaSchemaProblem(ajv, usable);
    if (invalid !== undefined) return { problem: invalid };
    const missing = (err as { missingRef?: unknown }).missingRef;
    if (typeof missing === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(missing) && !missing.startsWith('#')) {
      return { problem: `the schema refers to ${missing}, which mcpsh does not fetch (arguments are left for the server to check)` };
    }
    return { problem: errorMessage(err) };
  }
}

/** What is wrong with `schema` by its meta-schema (compiled on first use), or undefined when it is valid. */
function metaSchemaProblem(ajv: AnyAjv, schema: unknown): string | undefined {
  try {
    // ajv's own wording for this check, as its compile would throw it.
    return ajv.validateSchema(schema as Record<string, unknown>) ? undefined : `schema is invalid: ${ajv.errorsText(ajv.errors)}`;
  } catch (err) {
    return errorMessage(err);
  }
}

/** The meta-schema verdict of a compiled schema, checked once. */
function unsoundness(compiled: Extract<Compiled, { validate: ValidateFunction }>): string | undefined {
  compiled.sound ??= { problem: metaSchemaProblem(compiled.ajv, compiled.validate.schema) };
  return compiled.sound.problem;
}

/** Why a schema cannot be used for checking, or undefined when it can (or when there is none). */
export function schemaProblem(schema: unknown, options: SchemaOptions = {}): string | undefined {
  if (schema === undefined) return undefined;
  const compiled = compile(schema, options);
  return 'problem' in compiled ? compiled.problem : unsoundness(compiled);
}

/**
 * Validates tool arguments. Missing arguments count as `{}`, as the call sends no arguments then.
 * When the schema cannot be compiled the result is ok: the server will decide (see schemaProblem).
 */
export function validateArgs(schema: unknown, args: unknown, options: SchemaOptions = {}): ValidationResult {
  // Arguments this deep could not even be sent (serialising them would overflow the stack).
  if (exceedsJsonDepth(args)) return { ok: false, problems: [`the arguments are ${nestedTooDeep()}`] };
  if (schema === undefined) return { ok: true };
  const data = args === undefined ? {} : args;
  // The plainest schemas with arguments that match need no ajv at all (simple-schema.ts).
  if (certainlyValid(schema, data)) return { ok: true };
  const compiled = compile(schema, options);
  if ('problem' in compiled) return { ok: true };
  if (compiled.validate(data)) return { ok: true };
  const errors = [...(compiled.validate.errors ?? [])];
  const problems = [...new Set(withNullsAsAbsent(compiled.validate, data, errors).map(describeError))];
  if (problems.length === 0) return { ok: true };
  // Only a valid schema may block a call (this check was skipped at compile time, see "Cost" above).
  return unsoundness(compiled) === undefined ? { ok: false, problems } : { ok: true };
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
    else
      Object.defineProperty(copy, key, {
        value: withoutNullProperties(item, at, removed),
        enumerable: true,
        writable: true,
        configurable: true,
      });
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
