// Turns one raw config file into checked parts: VS Code's `servers` alias, keys other clients use,
// ${VAR} interpolation (with each unresolved reference routed to its server, the model, or an error),
// and schema validation. Problems are collected, not thrown, so the loader can report every file at once.
import os from 'node:os';
import nodePath from 'node:path';
import { describeFound, formatPath, suggest } from './describe.js';
import type { RawSource } from './discover.js';
import { declaredInputs, inputVariable, type InputAnswers } from './inputs.js';
import { interpolateTree, type JsonPath, type RefContext, type RefProblem } from './interpolate.js';
import { lineOf } from './jsonc.js';
import { KNOWN_TOP_LEVEL_KEYS } from './schema.js';
import { isRecord, validateDocument, type Problem, type ServerDraft } from './validate.js';

/** Per-server keys other clients (Cline, Cursor, VS Code, Gemini CLI) write; mcpsh ignores them with a warning. */
const FOREIGN_SERVER_KEYS = new Set([
  'autoApprove',
  'alwaysAllow',
  'timeout',
  'transportType',
  'envFile',
  'dev',
  'trust',
  'disabledTools',
  'networkTimeout',
]);

export interface Prepared {
  source: RawSource;
  /** The document minus mcpServers, validated. */
  rest: Record<string, unknown>;
  servers: ServerDraft[];
  /** Unresolved-reference messages per server name. */
  serverProblems: Map<string, string[]>;
  /** Unresolved-reference messages per model field. */
  modelProblems: Map<string, string[]>;
  /** Formatted paths whose strings kept an unresolved ${VAR}. */
  unresolved: Set<string>;
  fromEnv: string[];
  warnings: string[];
  /** Problems that make the config invalid, already formatted for the message. */
  errors: string[];
}

/** How a path inside the config is written in this file (VS Code's `servers`, package.json's `mcp`). */
function displayPath(src: RawSource, aliased: boolean, path: JsonPath): JsonPath {
  const inFile = aliased && path[0] === 'mcpServers' ? ['servers', ...path.slice(1)] : path;
  return [...src.root, ...inFile];
}

function fixFor(p: RefProblem): string {
  return p.variable && p.input === undefined ? `; set ${p.variable} or write \${${p.variable}:-default}` : '';
}

export interface PrepareOptions {
  /** `${input:id}` answers given in the chat's prompt. */
  answers?: InputAnswers;
  /**
   * An `${input:id}` without a value is an error in the file (exit 3, pointing at the config). Off while the
   * file is not yet trusted, so the trust review comes first (its references then stay unresolved in their server).
   */
  strictInputs?: boolean;
}

/** What VS Code's variables mean in this file. */
function refContext(src: RawSource, env: NodeJS.ProcessEnv, answers: InputAnswers): RefContext {
  const dir = nodePath.dirname(src.path);
  const base = nodePath.basename(dir);
  const inputs = declaredInputs(src.data, src.path);
  return {
    // VS Code's workspace folder is the one holding .vscode/; Cursor's the one holding .cursor/.
    workspaceFolder: base === '.vscode' || base === '.cursor' ? nodePath.dirname(dir) : dir,
    userHome: env.HOME ?? os.homedir(),
    input: (id) => {
      const spec = inputs.find((i) => i.id === id);
      if (!spec) return undefined;
      const variable = inputVariable(id);
      const answered = answers[id];
      if (answered !== undefined) return { value: answered, variable, secret: spec.password };
      // Read from the environment: a secret, as every value mcpsh reads from there.
      const fromEnv = env[variable];
      return fromEnv === undefined ? { variable, secret: true } : { value: fromEnv, variable, secret: true };
    },
  };
}

export function prepareSource(src: RawSource, env: NodeJS.ProcessEnv, options: PrepareOptions = {}): Prepared {
  const out: Prepared = {
    source: src,
    rest: {},
    servers: [],
    serverProblems: new Map(),
    modelProblems: new Map(),
    unresolved: new Set(),
    fromEnv: [],
    warnings: [],
    errors: [],
  };
  const where = (path: JsonPath, aliasedNow: boolean): string => {
    const shown = displayPath(src, aliasedNow, path);
    const line = src.text !== undefined && path.length > 0 ? lineOf(src.text, shown) : undefined;
    return `${formatPath(shown)}${line === undefined ? '' : ` (line ${line})`}`;
  };
  if (!isRecord(src.data)) {
    out.errors.push(`${formatPath(src.root)}: expected an object with "mcpServers", found ${describeFound(src.data)}`);
    return out;
  }
  const doc: Record<string, unknown> = { ...src.data };
  // VS Code's .vscode/mcp.json keeps its servers under `servers`.
  const aliased = !('mcpServers' in doc) && isRecord(doc.servers);
  if (aliased) {
    doc.mcpServers = doc.servers;
    delete doc.servers;
  }
  for (const key of Object.keys(doc)) {
    if (KNOWN_TOP_LEVEL_KEYS.has(key)) continue;
    const close = suggest(key, KNOWN_TOP_LEVEL_KEYS);
    out.warnings.push(`${src.path}: unknown top-level key "${key}" is ignored${close ? `; did you mean "${close}"?` : ''}`);
    delete doc[key];
  }
  if (isRecord(doc.mcpServers))
    doc.mcpServers = stripForeignKeys(doc.mcpServers, (name, keys) => {
      out.warnings.push(
        `${src.path}: server "${name}": ${keys.map((k) => `"${k}"`).join(', ')} ${keys.length > 1 ? 'are' : 'is'} used by other clients and ignored by mcpsh`,
      );
    });

  // `inputs` holds the questions, not values: it is validated as written, never interpolated. So are `hooks`:
  // shell commands whose $VARS the shell expands (an interpolated secret would show in the process list).
  const { inputs, hooks, ...values } = doc;
  const interpolated = interpolateTree(values, env, [], refContext(src, env, options.answers ?? {}));
  if (inputs !== undefined) (interpolated.value as Record<string, unknown>).inputs = inputs;
  if (hooks !== undefined) (interpolated.value as Record<string, unknown>).hooks = hooks;
  out.fromEnv = interpolated.fromEnv;
  for (const p of interpolated.problems) {
    out.unresolved.add(formatPath(p.path));
    if (p.input !== undefined && options.strictInputs === true) {
      out.errors.push(`${where(p.path, aliased)}: ${p.reason}`);
      continue;
    }
    const [top, key] = p.path;
    if (top === 'mcpServers' && typeof key === 'string') {
      const msg = `server "${key}": ${formatPath(displayPath(src, aliased, p.path))} ${p.variable ? `uses ${p.ref}, which is not set` : `has a bad reference: ${p.reason}`}${fixFor(p)} (in ${src.path})`;
      pushTo(out.serverProblems, key, msg);
    } else if (top === 'model' && typeof key === 'string') {
      const msg = `${formatPath(displayPath(src, aliased, p.path))} ${p.variable ? `uses ${p.ref}, which is not set` : `has a bad reference: ${p.reason}`}${fixFor(p)} (in ${src.path})`;
      pushTo(out.modelProblems, key, msg);
    } else {
      out.errors.push(`${where(p.path, aliased)}: ${p.reason}${fixFor(p)}`);
    }
  }
  const validation = validateDocument(interpolated.value as Record<string, unknown>, out.unresolved);
  out.rest = validation.rest;
  out.servers = validation.servers;
  out.errors.push(...validation.problems.map((p: Problem) => `${where(p.path, aliased)}: ${p.message}`));
  return out;
}

function pushTo(map: Map<string, string[]>, key: string, msg: string): void {
  const list = map.get(key) ?? [];
  list.push(msg);
  map.set(key, list);
}

function stripForeignKeys(servers: Record<string, unknown>, report: (name: string, keys: string[]) => void): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(servers)) {
    if (!isRecord(entry)) {
      out[name] = entry;
      continue;
    }
    const foreign = Object.keys(entry).filter((k) => FOREIGN_SERVER_KEYS.has(k));
    if (foreign.length === 0) {
      out[name] = entry;
      continue;
    }
    report(name, foreign);
    out[name] = Object.fromEntries(Object.entries(entry).filter(([k]) => !FOREIGN_SERVER_KEYS.has(k)));
  }
  return out;
}
