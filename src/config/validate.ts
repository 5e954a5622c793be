// Validation of one config document against the zod schema, turned into messages a person can act on:
// the JSON path, what was found and what was expected. Server entries are checked one by one so an
// entry that is neither stdio nor remote gets a precise message instead of a union's wall of errors.
import { z } from 'zod';
import {
  ConfigSchema,
  REMOTE_TYPE_ALIASES,
  RemoteServerSchema,
  SERVER_NAME_PATTERN,
  SERVER_NAME_RULE,
  StdioServerSchema,
} from './schema.js';
import { describeExpected, describeFound, formatPath, schemaAt, suggest, unwrap, valueAt } from './describe.js';
import type { JsonPath } from './interpolate.js';
import { AppError } from '../errors.js';
import { serverNameClashes, serverNameKey, serverNameProblem } from './name-fold.js';

export interface Problem {
  path: JsonPath;
  message: string;
  /** A right type but a wrong value (format, range, option): for an unresolved ${VAR} that is a consequence, not a cause. */
  valueOnly?: boolean;
}

export interface ServerDraft {
  name: string;
  kind: 'stdio' | 'remote';
  entry: Record<string, unknown>;
}

export interface Validation {
  /** The document without mcpServers, as the schema parsed it (valid only when problems is empty). */
  rest: Record<string, unknown>;
  servers: ServerDraft[];
  problems: Problem[];
}

const STDIO_KEYS = Object.keys(StdioServerSchema.shape);
const REMOTE_KEYS = Object.keys(RemoteServerSchema.shape);
const ALL_SERVER_KEYS = [...new Set([...STDIO_KEYS, ...REMOTE_KEYS])];
const ENTRY_SHAPE = 'expected an object with "command" (a stdio server) or "url" (a remote server)';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeyMessage(key: string, known: string[], kind?: 'stdio' | 'remote'): string {
  if (kind === 'stdio' && REMOTE_KEYS.includes(key))
    return `"${key}" is for remote servers (with "url"); a stdio server (with "command") cannot use it`;
  if (kind === 'remote' && STDIO_KEYS.includes(key))
    return `"${key}" is for stdio servers (with "command"); a remote server (with "url") cannot use it`;
  const close = suggest(key, known);
  return close ? `unknown key; did you mean "${close}"?` : `unknown key (known keys: ${known.join(', ')})`;
}

function sizeText(issue: { origin: string; inclusive?: boolean }, bound: number | bigint, small: boolean): string {
  const n = String(bound);
  if (issue.origin === 'string')
    return small ? (n === '1' ? 'a non-empty string' : `a string of at least ${n} characters`) : `a string of at most ${n} characters`;
  if (issue.origin === 'array') return small ? `at least ${n} item(s)` : `at most ${n} item(s)`;
  if (small) return issue.inclusive ? `a number of at least ${n}` : `a number greater than ${n}`;
  return issue.inclusive ? `a number of at most ${n}` : `a number less than ${n}`;
}

/** One zod issue as problems (unknown keys give one problem per key). `input` is what `schema` parsed. */
function fromIssue(issue: z.core.$ZodIssue, schema: z.ZodType, input: unknown, prefix: JsonPath, kind?: 'stdio' | 'remote'): Problem[] {
  const rel = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const path = [...prefix, ...rel];
  const found = describeFound(valueAt(input, rel));
  const target = schemaAt(schema, rel);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const owner = target ? unwrap(target) : undefined;
      const known = owner instanceof z.ZodObject ? Object.keys(owner.shape) : [];
      return issue.keys.map((key) => ({ path: [...path, key], message: unknownKeyMessage(key, known, kind) }));
    }
    case 'invalid_type': {
      const expected = target ? describeExpected(target) : `a ${issue.expected}`;
      return [{ path, message: found === 'nothing' ? `missing; expected ${expected}` : `expected ${expected}, found ${found}` }];
    }
    case 'too_small':
      return [{ path, valueOnly: true, message: `expected ${sizeText(issue, issue.minimum, true)}, found ${found}` }];
    case 'too_big':
      return [{ path, valueOnly: true, message: `expected ${sizeText(issue, issue.maximum, false)}, found ${found}` }];
    case 'invalid_format': {
      const expected = issue.format === 'url' ? 'an http:// or https:// URL such as http://127.0.0.1:3333/mcp' : `a valid ${issue.format}`;
      return [{ path, valueOnly: true, message: `expected ${expected}, found ${found}` }];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const expected = values.length > 1 ? `one of ${values.join(', ')}` : (values[0] ?? 'another value');
      return [{ path, valueOnly: true, message: `expected ${expected}, found ${found}` }];
    }
    case 'invalid_key':
      return [{ path, message: `"${String(rel[rel.length - 1])}" is not a valid key: ${issue.issues[0]?.message ?? 'invalid'}` }];
    default:
      return [{ path, message: `${issue.message}; found ${found}` }];
  }
}

function issuesOf(schema: z.ZodType, input: unknown, prefix: JsonPath, kind?: 'stdio' | 'remote'): Problem[] {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.flatMap((i) => fromIssue(i, schema, input, prefix, kind));
}

function checkServer(name: string, entry: unknown, prefix: JsonPath): { draft?: ServerDraft; problems: Problem[] } {
  if (!isRecord(entry)) return { problems: [{ path: prefix, message: `${ENTRY_SHAPE}, found ${describeFound(entry)}` }] };
  const hasCommand = 'command' in entry;
  const hasUrl = 'url' in entry;
  if (hasCommand && hasUrl) {
    return { problems: [{ path: prefix, message: 'has both "command" (a stdio server) and "url" (a remote server); keep one of them' }] };
  }
  if (!hasCommand && !hasUrl) {
    const type = entry.type;
    if (type === 'stdio')
      return {
        problems: [{ path: prefix, message: 'is a stdio server (type "stdio") but has no "command"; add "command": "program-to-run"' }],
      };
    if (typeof type === 'string' && Object.hasOwn(REMOTE_TYPE_ALIASES, type)) {
      return {
        problems: [{ path: prefix, message: `is a remote server (type "${type}") but has no "url"; add "url": "http://host:port/mcp"` }],
      };
    }
    const hints = Object.keys(entry)
      .filter((k) => !ALL_SERVER_KEYS.includes(k))
      .map((k) => [k, suggest(k, ['command', 'url'])] as const)
      .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
      .map(([k, s]) => `"${k}" is an unknown key: did you mean "${s}"?`);
    return { problems: [{ path: prefix, message: `${ENTRY_SHAPE}, found neither${hints.length ? `; ${hints.join('; ')}` : ''}` }] };
  }
  const kind = hasCommand ? 'stdio' : 'remote';
  const type = entry.type;
  if (kind === 'stdio' && typeof type === 'string' && Object.hasOwn(REMOTE_TYPE_ALIASES, type)) {
    return {
      problems: [
        {
          path: [...prefix, 'type'],
          message: `type "${type}" is for remote servers (with "url"), but this entry has "command"; remove "type" or set it to "stdio"`,
        },
      ],
    };
  }
  if (kind === 'remote' && type === 'stdio') {
    return {
      problems: [
        {
          path: [...prefix, 'type'],
          message: 'type "stdio" needs "command", but this entry has "url"; remove "type" (or set it to "http" or "sse")',
        },
      ],
    };
  }
  const schema = kind === 'stdio' ? StdioServerSchema : RemoteServerSchema;
  return { draft: { name, kind, entry }, problems: issuesOf(schema, entry, prefix, kind) };
}

/**
 * Validates one document (already interpolated). `unresolved` holds the formatted paths of strings whose
 * ${VAR} could not be resolved: format errors there are consequences of that, reported by the caller instead.
 */
export function validateDocument(doc: Record<string, unknown>, unresolved: ReadonlySet<string>): Validation {
  const problems: Problem[] = [];
  const { mcpServers, ...restInput } = doc;
  const restParsed = ConfigSchema.safeParse(restInput);
  if (!restParsed.success) problems.push(...restParsed.error.issues.flatMap((i) => fromIssue(i, ConfigSchema, restInput, [])));
  const servers: ServerDraft[] = [];
  if (mcpServers !== undefined && !isRecord(mcpServers)) {
    problems.push({
      path: ['mcpServers'],
      message: `expected an object mapping server names to server entries, found ${describeFound(mcpServers)}`,
    });
  } else if (mcpServers) {
    for (const [name, entry] of Object.entries(mcpServers)) {
      const prefix = ['mcpServers', name];
      if (!SERVER_NAME_PATTERN.test(name)) {
        problems.push({ path: prefix, message: `"${name}" is not a valid server name: ${SERVER_NAME_RULE}` });
        continue;
      }
      const unclear = serverNameProblem(name);
      if (unclear !== undefined) {
        problems.push({ path: prefix, message: unclear });
        continue;
      }
      const checked = checkServer(name, entry, prefix);
      problems.push(...checked.problems);
      if (checked.draft) servers.push(checked.draft);
    }
  }
  for (const [first, later] of serverNameClashes(servers.map((s) => s.name))) {
    problems.push({ path: ['mcpServers', later], message: clashMessage(first, later) });
  }
  const real = problems.filter((p) => !(p.valueOnly && unresolved.has(formatPath(p.path))));
  return { rest: restParsed.success ? restParsed.data : restInput, servers, problems: real };
}

function clashMessage(first: string, later: string): string {
  return (
    `server "${later}" cannot be told apart from server "${first}": both are shown to the model and matched by permission ` +
    `rules as "${serverNameKey(first)}__<tool>" (names that differ only in case, look-alike characters such as fullwidth letters, ` +
    'or punctuation fold together); rename one of them'
  );
}

/**
 * Server names from different files (the user's and a project's) that fold together, as one CONFIG error
 * naming both and where each comes from; undefined when there are none. A project must not be able to add a
 * look-alike of one of your servers that your rules then miss.
 */
export function serverClashError(servers: ReadonlyArray<{ name: string; file: string }>): AppError | undefined {
  const clashes = serverNameClashes(servers.map((s) => s.name));
  if (clashes.length === 0) return undefined;
  const fileOf = (name: string): string => servers.find((s) => s.name === name)?.file ?? '?';
  const lines = clashes.map(
    ([first, later]) => `  - ${clashMessage(first, later)} ("${first}" in ${fileOf(first)}, "${later}" in ${fileOf(later)})`,
  );
  return new AppError('CONFIG', `server names that fold together:\n${lines.join('\n')}`, {
    hint: 'rename one server of each pair (names must differ in more than case, look-alike characters or punctuation), then run `mcpsh config` to check',
  });
}
