// MCP tool -> the provider's function tool: the input schema passes as a non-strict function schema,
// with what providers reject normalised (non-object roots, root combinators, outside $refs, huge texts).
// Pure and total: a schema that cannot be made acceptable skips the tool with a reason; it never throws.
import { errorMessage } from '../errors.js';
import { exceedsJsonDepth, nestedTooDeep } from '../json-depth.js';
import type { ToolSpec } from './types.js';

/**
 * The default cut of a function description for the model (config `model.maxToolDescription`): OpenAI has
 * refused longer ones. The full text stays with the tool (the search index, `mcpsh tools`).
 */
export const TOOL_DESCRIPTION_MAX = 1024;
/** Descriptions inside the schema: no hard provider limit, but every token is paid on every turn. */
export const SCHEMA_DESCRIPTION_MAX = 1024;
/** The serialised parameters budget per tool; bigger schemas are trimmed, then skipped. */
export const SCHEMA_CHARS_MAX = 32_000;
const MAX_DEPTH = 64;
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export type ToolSpecResult = { ok: true; spec: ToolSpec; notes: string[]; descriptionCut?: true } | { ok: false; reason: string };

export interface ToolSpecOptions {
  /** Longest description sent (default TOOL_DESCRIPTION_MAX); 0 sends it whole. */
  maxDescription?: number;
}

type Json = Record<string, unknown>;

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_ONE = new Set([
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
  'items',
]);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items']);
const ROOT_REJECTED = ['anyOf', 'oneOf', 'allOf', 'enum', 'not', 'const', 'if', 'then', 'else'];

class Unusable extends Error {}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// Tool lists change rarely but every turn converts them: cache per tool object (and name).
const cache = new WeakMap<object, Map<string, ToolSpecResult>>();

/** Converts one MCP tool for the model. The result is shared between calls: treat it as read-only. */
export function toToolSpec(
  name: string,
  tool: { description?: string | undefined; inputSchema: unknown },
  options: ToolSpecOptions = {},
): ToolSpecResult {
  const maxDescription = options.maxDescription ?? TOOL_DESCRIPTION_MAX;
  const key = maxDescription === TOOL_DESCRIPTION_MAX ? name : `${maxDescription}\u0000${name}`;
  const perTool = isObject(tool) ? cache.get(tool) : undefined;
  const hit = perTool?.get(key);
  if (hit) return hit;
  let result: ToolSpecResult;
  try {
    result = convert(name, tool, maxDescription);
  } catch (err) {
    result = { ok: false, reason: err instanceof Unusable ? err.message : `its input schema could not be converted: ${errorMessage(err)}` };
  }
  if (isObject(tool)) {
    const map = perTool ?? new Map<string, ToolSpecResult>();
    map.set(key, result);
    if (!perTool) cache.set(tool, map);
  }
  return result;
}

function convert(name: string, tool: { description?: string | undefined; inputSchema: unknown }, maxDescription: number): ToolSpecResult {
  if (!NAME_PATTERN.test(name)) return { ok: false, reason: `its name "${name}" does not match ${NAME_PATTERN.source}` };
  // Values copied as they are (defaults, examples) are serialised below: none may be deeper than the bound.
  if (exceedsJsonDepth(tool.inputSchema)) return { ok: false, reason: `its input schema is ${nestedTooDeep()}` };
  const notes: string[] = [];
  const root = normaliseRoot(tool.inputSchema, notes);
  let parameters = clean(root, root, 0, notes) as Json;

  if (JSON.stringify(parameters).length > SCHEMA_CHARS_MAX) {
    parameters = trim(parameters, 200) as Json;
    if (JSON.stringify(parameters).length > SCHEMA_CHARS_MAX) parameters = trim(parameters, 0) as Json;
    const size = JSON.stringify(parameters).length;
    if (size > SCHEMA_CHARS_MAX)
      return {
        ok: false,
        reason: `its input schema is ${Math.ceil(size / 1000)} KB even without descriptions, over the ${SCHEMA_CHARS_MAX / 1000} KB budget`,
      };
    notes.push('schema descriptions shortened to fit the size budget');
  }

  const spec: ToolSpec = { name, parameters };
  let descriptionCut = false;
  if (typeof tool.description === 'string' && tool.description.trim() !== '') {
    spec.description = maxDescription > 0 ? truncate(tool.description, maxDescription) : tool.description;
    descriptionCut = spec.description !== tool.description;
    if (descriptionCut) notes.push(`description truncated to ${maxDescription} characters`);
  }
  return { ok: true, spec, notes: [...new Set(notes)], ...(descriptionCut ? { descriptionCut: true as const } : {}) };
}

/** The root must be a plain `type: "object"` with `properties`, and no combinators (OpenAI rejects them). */
function normaliseRoot(schema: unknown, notes: string[]): Json {
  if (schema === undefined || schema === null || schema === true) {
    notes.push('no input schema: takes no arguments');
    return { type: 'object', properties: {} };
  }
  if (schema === false) throw new Unusable('its input schema is `false` (it accepts no input at all)');
  if (!isObject(schema))
    throw new Unusable(`its input schema is ${Array.isArray(schema) ? 'an array' : `a ${typeof schema}`}, not a JSON Schema object`);

  const root: Json = { ...schema };
  const type = root.type;
  if (Array.isArray(type) ? !type.includes('object') : type !== undefined && type !== 'object') {
    throw new Unusable(`its input schema describes ${JSON.stringify(type)}, not an object; MCP tools take an object of named arguments`);
  }
  if (type !== 'object') {
    if (type === undefined) notes.push('added `type: "object"` to the schema root');
    root.type = 'object';
  }

  const combined = ['allOf', 'anyOf', 'oneOf'].filter((k) => Array.isArray(root[k]));
  if (combined.length > 0) mergeBranches(root, combined, notes);
  for (const key of ROOT_REJECTED) {
    if (key in root) {
      delete root[key];
      notes.push(`dropped \`${key}\` at the schema root (the tool still checks its own rules)`);
    }
  }

  if (!isObject(root.properties)) {
    if (root.properties !== undefined) notes.push('replaced a `properties` that was not an object');
    root.properties = {};
  }
  if (root.required !== undefined) {
    const names = Array.isArray(root.required) ? root.required.filter((r): r is string => typeof r === 'string') : [];
    if (names.length > 0) root.required = [...new Set(names)];
    else delete root.required;
  }
  return root;
}

/** Folds root allOf/anyOf/oneOf object branches into the root: properties united, required kept only where certain. */
function mergeBranches(root: Json, keys: string[], notes: string[]): void {
  const properties: Json = isObject(root.properties) ? { ...root.properties } : {};
  const required = new Set(Array.isArray(root.required) ? root.required.filter((r): r is string => typeof r === 'string') : []);
  for (const key of keys) {
    const branches = (root[key] as unknown[]).filter(isObject);
    let common: Set<string> | undefined;
    for (const b of branches) {
      if (isObject(b.properties)) for (const [p, s] of Object.entries(b.properties)) if (!(p in properties)) properties[p] = s;
      const req = new Set(Array.isArray(b.required) ? b.required.filter((r): r is string => typeof r === 'string') : []);
      if (key === 'allOf') req.forEach((r) => required.add(r));
      else common = common === undefined ? req : new Set([...common].filter((r) => req.has(r)));
    }
    common?.forEach((r) => required.add(r));
  }
  root.properties = properties;
  if (required.size > 0) root.required = [...required];
  notes.push(`merged root ${keys.join('/')} branches into one object schema`);
}

/** A deep copy without what providers reject: $schema, $ids, outside or dangling $refs, boolean subschemas. */
function clean(node: unknown, root: Json, depth: number, notes: string[]): unknown {
  if (depth > MAX_DEPTH) throw new Unusable(`its input schema is nested deeper than ${MAX_DEPTH} levels`);
  if (node === true) return {};
  if (node === false) return { not: {} };
  if (!isObject(node)) return node;

  if (typeof node.$ref === 'string' && !resolves(node.$ref, root)) {
    notes.push(`replaced $ref "${node.$ref}" (outside this schema) with an open schema`);
    return typeof node.description === 'string' ? { description: truncate(node.description, SCHEMA_DESCRIPTION_MAX) } : {};
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === '$id' || (key === 'id' && depth === 0 && typeof value === 'string')) continue;
    if (key === 'description' && typeof value === 'string') out[key] = truncate(value, SCHEMA_DESCRIPTION_MAX);
    else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map((v) => clean(v, root, depth + 1, notes));
    else if (SCHEMA_MAPS.has(key)) {
      if (isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, root, depth + 1, notes)]));
    } else if (SCHEMA_ONE.has(key)) {
      if (isObject(value) || typeof value === 'boolean')
        out[key] = key === 'additionalProperties' && typeof value === 'boolean' ? value : clean(value, root, depth + 1, notes);
    } else out[key] = value;
  }
  return out;
}

/** True for a `#...` JSON pointer that leads somewhere inside `root`. */
function resolves(ref: string, root: Json): boolean {
  if (!ref.startsWith('#')) return false;
  if (ref === '#' || ref === '#/') return true;
  if (!ref.startsWith('#/')) return false;
  let at: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let part: string;
    try {
      part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return false;
    }
    if (Array.isArray(at)) at = at[Number(part)];
    else if (isObject(at) && Object.hasOwn(at, part)) at = at[part];
    else return false;
    if (at === undefined) return false;
  }
  return true;
}

/** Shortens texts in a schema: descriptions to `max` characters (0 drops them); titles and examples go. */
function trim(node: unknown, max: number): unknown {
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' || key === 'title') continue;
    if (key === 'description' && typeof value === 'string') {
      if (max > 0) out[key] = truncate(value, max);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map((v) => trim(v, max));
    else if (SCHEMA_MAPS.has(key) && isObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trim(v, max)]));
    else if (SCHEMA_ONE.has(key)) out[key] = trim(value, max);
    else out[key] = value;
  }
  return out;
}
