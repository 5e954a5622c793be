// A quick "these arguments are valid" for the plainest tool schemas, so that most tool calls need no JSON Schema
// engine at all: building ajv and compiling a first schema costs ~25 ms of CPU, more than the rest of a call.
// It only ever says yes when ajv (validate-args.ts) would: a schema outside the small subset below, or
// arguments it does not find valid, go to ajv, which decides and words the problems.
//
// The subset: a root of type "object" with `properties`, `required` (names) and a boolean `additionalProperties`;
// each property with a `type` (one or a list), an `enum` of plain values, `format` (never checked: the server
// judges formats), and words (`description`, `title`, `default`, `examples`, `$comment`). Names are looked up as
// ajv's generated code does (`data[name] !== undefined`); numbers are checked at least as strictly as ajv does.

type Loose = Record<string, unknown>;

const ROOT_KEYS = new Set(['type', 'properties', 'required', 'additionalProperties', 'description', 'title', '$schema', '$comment']);
const PROPERTY_KEYS = new Set(['type', 'enum', 'format', 'description', 'title', 'default', 'examples', '$comment']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

function isPlainObject(v: unknown): v is Loose {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(schema: Loose, allowed: ReadonlySet<string>): boolean {
  for (const key of Object.keys(schema)) if (!allowed.has(key)) return false;
  return true;
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return false;
  }
}

/** True when `value` certainly matches the property schema; false when unsure or not. */
function propertyValid(schema: unknown, value: unknown): boolean {
  if (!isPlainObject(schema) || !onlyKeys(schema, PROPERTY_KEYS)) return false;
  const type = schema.type;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (types.length === 0 || !types.every((t) => typeof t === 'string' && TYPES.has(t))) return false;
    if (!types.some((t) => hasType(t as string, value))) return false;
  }
  if (schema.enum !== undefined) {
    const allowed = schema.enum;
    if (!Array.isArray(allowed) || !allowed.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) return false;
    if (!allowed.some((v) => v === value)) return false;
  }
  return true;
}

/** True only when `data` is certainly valid against `schema` (see the module comment); false means "ask ajv". */
export function certainlyValid(schema: unknown, data: unknown): boolean {
  if (!isPlainObject(schema) || schema.type !== 'object' || !onlyKeys(schema, ROOT_KEYS) || !isPlainObject(data)) return false;
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  const additional = schema.additionalProperties ?? true;
  if (!isPlainObject(properties) || !Array.isArray(required) || typeof additional !== 'boolean') return false;
  for (const name of required) {
    if (typeof name !== 'string' || data[name] === undefined) return false;
  }
  for (const [name, propertySchema] of Object.entries(properties)) {
    const value = data[name];
    if (value !== undefined && !propertyValid(propertySchema, value)) return false;
  }
  if (!additional) {
    for (const name of Object.keys(data)) if (!Object.hasOwn(properties, name)) return false;
  }
  return true;
}
