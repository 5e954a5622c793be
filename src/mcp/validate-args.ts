// Checks tool arguments against the tool's input schema before a call is sent, and words each
// problem as a sentence a person (or the model) can act on. A schema we cannot compile never blocks a call.
import { closestMatch } from '../suggest.js';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { errorMessage } from '../errors.js';
import { exceedsJsonDepth, nestedTooDeep } from '../json-depth.js';

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

function ajvFor(dialect: string | undefined): Ajv | Ajv2019 | Ajv2020 {
  if (dialect?.includes('2020-12')) return (draft2020 ??= new Ajv2020(AJV_OPTIONS));
  if (dialect?.includes('2019-09')) return (draft2019 ??= new Ajv2019(AJV_OPTIONS));
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

function compile(schema: unknown): Compiled {
  let key: string;
  try {
    key = JSON.stringify(schema);
  } catch (err) {
    return { problem: `the schema is not plain JSON (${errorMessage(err)})` };
  }
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compileUncached(schema);
  if (cache.size >= CACHE_MAX) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, compiled);
  return compiled;
}

function compileUncached(schema: unknown): Compiled {
  if (typeof schema === 'boolean') return { validate: ajvFor(undefined).compile(schema) };
  if (!isObject(schema)) return { problem: `the schema must be a JSON object (found ${describeFound(schema)})` };
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : undefined;
  const ajv = ajvFor(dialect);
  const usable = ajv === draft07 ? forDraft07(schema) : schema;
  try {
    // A fresh copy: ajv keeps compiled schemas keyed by object identity, and the caller's object may change.
    return { validate: ajv.compile(structuredClone(usable)) };
  } catch (err) {
    return { problem: errorMessage(err) };
  }
}

/** Why a schema cannot be used for checking, or undefined when it can (or when there is none). */
export function schemaProblem(schema: unknown): string | undefined {
  if (schema === undefined) return undefined;
  const compiled = compile(schema);
  return 'problem' in compiled ? compiled.problem : undefined;
}

/**
 * Validates tool arguments. Missing arguments count as `{}`, as the call sends no arguments then.
 * When the schema cannot be compiled the result is ok: the server will decide (see schemaProblem).
 */
export function validateArgs(schema: unknown, args: unknown): ValidationResult {
  // Arguments this deep could not even be sent (serialising them would overflow the stack).
  if (exceedsJsonDepth(args)) return { ok: false, problems: [`the arguments are ${nestedTooDeep()}`] };
  if (schema === undefined) return { ok: true };
  const compiled = compile(schema);
  if ('problem' in compiled) return { ok: true };
  const data = args === undefined ? {} : args;
  if (compiled.validate(data)) return { ok: true };
  const problems = [...new Set((compiled.validate.errors ?? []).map(describeError))];
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
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
