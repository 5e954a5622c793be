// Adding, replacing, removing and switching servers in a config file from the command line (`mcpsh mcp …`):
// JSONC edits on the text read inside the file lock, so comments and layout survive, validated before writing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { AppError } from '../errors.js';
import { updateFileLockedSync } from '../files/atomic.js';
import { appPaths } from '../paths.js';
import { formatPath } from './describe.js';
import { USER_FILE_NAME } from './discover.js';
import type { JsonPath } from './interpolate.js';
import { isRecord, serverClashError, validateDocument } from './validate.js';

export type Scope = 'user' | 'project';

/** The file project scope writes: the first name config discovery looks for, in the current directory. */
export const PROJECT_FILE_NAME = 'mcp.config.json';

export function scopeFile(scope: Scope, env: NodeJS.ProcessEnv, cwd: string): string {
  return scope === 'user' ? join(appPaths(env).config, USER_FILE_NAME) : join(cwd, PROJECT_FILE_NAME);
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2 } };

/** The parsed document of a config text (an empty text is an empty document); a broken file is refused, never edited. */
export function parseConfigText(file: string, text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const errors: ParseError[] = [];
  const doc: unknown = parse(text, errors, { allowTrailingComma: true });
  const first = errors[0];
  if (first) {
    throw new AppError(
      'CONFIG',
      `${file} was not changed: it is not valid JSON (${printParseErrorCode(first.error)} at offset ${first.offset})`,
      {
        hint: `fix ${file} first (\`mcpsh config\` shows where), then run the command again`,
      },
    );
  }
  if (!isRecord(doc))
    throw new AppError('CONFIG', `${file} was not changed: its top level is not a JSON object`, { hint: `fix ${file} first` });
  return doc;
}

export function serversOf(doc: Record<string, unknown>): Record<string, unknown> {
  const servers = doc.mcpServers;
  return isRecord(servers) ? servers : {};
}

/** Server names in `file` (none when it is absent or unreadable): for clash checks across scopes and completion. */
export function serverNamesIn(file: string): string[] {
  try {
    return Object.keys(serversOf(parseConfigText(file, readFileSync(file, 'utf8'))));
  } catch {
    return [];
  }
}

/** Paths of strings holding `${…}`: their format is checked after interpolation, at load time, not here. */
function templatedPaths(value: unknown, path: JsonPath, out: Set<string>): Set<string> {
  if (typeof value === 'string' && value.includes('${')) out.add(formatPath(path));
  else if (Array.isArray(value)) value.forEach((v, i) => templatedPaths(v, [...path, i], out));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) templatedPaths(v, [...path, k], out);
  return out;
}

/**
 * Why `entry` cannot be written as server `name` beside `others` (the other names in the same file and, with
 * their files, in the other scope), or undefined. Uses the config's own checks, so the wording is the one
 * `mcpsh config` would print for the same file.
 */
export function entryProblem(
  name: string,
  entry: unknown,
  others: readonly string[],
  elsewhere: ReadonlyArray<{ name: string; file: string }> = [],
  file = '',
): string | undefined {
  const servers: Record<string, unknown> = {};
  // Stand-ins for the other servers: only their names take part in the name checks.
  for (const other of others) if (other !== name) servers[other] = { command: 'x' };
  servers[name] = entry;
  const { problems } = validateDocument({ mcpServers: servers }, templatedPaths(servers, ['mcpServers'], new Set()));
  const mine = problems.filter((p) => p.path[0] === 'mcpServers' && p.path[1] === name);
  if (mine.length > 0) return mine.map((p) => `${formatPath(p.path)}: ${p.message}`).join('\n');
  const clash = serverClashError([...elsewhere.filter((e) => e.name !== name), { name, file }]);
  return clash?.message;
}

export interface AddResult {
  file: string;
  created: boolean;
  /** The full text written (for recording trust of exactly that content). */
  text: string;
  /** The file's text before the edit (undefined when it did not exist). */
  before: string | undefined;
}

/** One change: the JSON path below the top level (e.g. ['mcpServers', name]) and its new value (undefined deletes). */
export type ServerEdit = [JsonPath, unknown];

/**
 * Edits `file` under its lock. `plan` sees the current document and returns the changes; it throws to
 * refuse. Nothing changes when it returns none. Only the edited values are rewritten: comments elsewhere stay.
 */
export function editServers(
  file: string,
  plan: (doc: Record<string, unknown>, current: string | undefined) => ServerEdit[],
  newFileMode?: number,
): AddResult | undefined {
  let before: string | undefined;
  const created = !existsSync(file);
  const written = updateFileLockedSync(
    file,
    (current) => {
      before = current;
      const text = current ?? '';
      const changes = plan(parseConfigText(file, text), current);
      if (changes.length === 0) return undefined;
      let next = text.trim() === '' ? '{}\n' : text;
      for (const [path, value] of changes) next = applyEdits(next, modify(next, path, value, FORMAT));
      return next.endsWith('\n') ? next : `${next}\n`;
    },
    // An existing file keeps its mode; a new one gets `newFileMode` (default 0600).
    { lockTimeoutMs: 10_000, ...(created && newFileMode !== undefined ? { mode: newFileMode } : {}) },
  );
  return written === undefined ? undefined : { file, created, text: written, before };
}
