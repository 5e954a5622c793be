// The managed policy (issue 17): an administrator's file at a fixed system path that user and project configs
// cannot loosen. Read once per run; a missing file is no policy, an unreadable or invalid one is a CONFIG error
// (failing open would loosen the policy). Which servers it blocks is decided in src/config/managed-match.ts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, errorMessage } from '../errors.js';
import { describeFound, formatPath, suggest } from './describe.js';
import { HooksSchema } from './hooks-schema.js';
import type { JsonPath } from './interpolate.js';
import { parseJsonc } from './jsonc.js';
import { isRecord } from './validate.js';

/** One entry of allowedMcpServers / deniedMcpServers: Claude Code's managed-settings shape. */
export type ServerMatcher = { serverName: string } | { serverCommand: string[] } | { serverUrl: string };

export interface ManagedRules {
  allow: string[];
  ask: string[];
  deny: string[];
}

export interface ManagedPolicy {
  /** The file the policy was read from. */
  file: string;
  /** Unset: no allow list (every server not denied may run). An empty list blocks every server. */
  allowedMcpServers?: ServerMatcher[];
  deniedMcpServers: ServerMatcher[];
  /** Permission rules that user and project rules, --allow and --yes cannot loosen (src/policy/permissions.ts). */
  permissions: ManagedRules;
  /** The `hooks` section, as raw data in the user config's hooks shape; the hooks runner validates and runs it. */
  hooks?: Record<string, unknown>;
}

export const MANAGED_CONFIG_ENV = 'MCPSH_MANAGED_CONFIG';

/** The policy file for this platform, or the one MCPSH_MANAGED_CONFIG names. */
export function managedPolicyPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const override = env[MANAGED_CONFIG_ENV];
  if (override !== undefined && override !== '') return path.resolve(override);
  if (platform === 'darwin') return '/Library/Application Support/mcpsh/managed-config.json';
  if (platform === 'win32') return 'C:\\ProgramData\\mcpsh\\managed-config.json';
  return '/etc/mcpsh/managed-config.json';
}

// Once per run and path: a second load (after the chat's trust prompt) sees the same policy as the first.
const cache = new Map<string, Promise<ManagedPolicy | undefined>>();

/** The policy in force, or undefined when its file does not exist. Throws AppError('CONFIG') for a bad file. */
export function readManagedPolicy(env: NodeJS.ProcessEnv): Promise<ManagedPolicy | undefined> {
  const file = managedPolicyPath(env);
  let pending = cache.get(file);
  if (!pending) {
    pending = load(file);
    cache.set(file, pending);
  }
  return pending;
}

async function load(file: string): Promise<ManagedPolicy | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw policyError(file, `cannot be read: ${errorMessage(err)}`);
  }
  let data: unknown;
  try {
    data = parseJsonc(file, text);
  } catch (err) {
    throw policyError(file, errorMessage(err).replace(/^cannot parse /, 'is not valid JSON: '));
  }
  const problems: string[] = [];
  const policy = parsePolicy(file, data, problems);
  if (problems.length > 0 || !policy) throw policyError(file, `is not a valid policy:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return policy;
}

function policyError(file: string, what: string): AppError {
  return new AppError('CONFIG', `the managed policy ${file} ${what}`, {
    hint: `mcpsh does not run while the administrator's policy cannot be applied; ask whoever manages ${file} to fix it (the format is in docs/configuration.md, "Managed policy")`,
  });
}

const TOP_KEYS = ['$schema', 'allowedMcpServers', 'deniedMcpServers', 'permissions', 'hooks'];
const RULE_KEYS = ['allow', 'ask', 'deny'];
const MATCHER_KEYS = ['serverName', 'serverCommand', 'serverUrl'];

/** The policy in `data`, with every problem (path: what is wrong) pushed to `problems`. */
export function parsePolicy(file: string, data: unknown, problems: string[]): ManagedPolicy | undefined {
  const at = (p: JsonPath, message: string): void => void problems.push(`${formatPath(p)}: ${message}`);
  if (!isRecord(data)) {
    at([], `expected a JSON object, found ${describeFound(data)}`);
    return undefined;
  }
  // An unknown key is most likely a misspelt restriction: ignoring it would loosen the policy.
  for (const key of Object.keys(data)) {
    if (TOP_KEYS.includes(key)) continue;
    const close = suggest(key, TOP_KEYS);
    at([key], close ? `unknown key; did you mean "${close}"?` : `unknown key (known keys: ${TOP_KEYS.slice(1).join(', ')})`);
  }
  const allowed = data.allowedMcpServers === undefined ? undefined : matchers(data.allowedMcpServers, ['allowedMcpServers'], at);
  const denied = data.deniedMcpServers === undefined ? [] : (matchers(data.deniedMcpServers, ['deniedMcpServers'], at) ?? []);
  const permissions = rules(data.permissions, at);
  let hooks: Record<string, unknown> | undefined;
  if (data.hooks !== undefined) {
    // Checked here, in the user config's shape: a policy hook that could not run would be a hole in the policy.
    const parsed = isRecord(data.hooks) ? HooksSchema.safeParse(data.hooks) : undefined;
    if (!isRecord(data.hooks)) at(['hooks'], `expected an object of hook events, found ${describeFound(data.hooks)}`);
    else if (parsed && !parsed.success)
      for (const issue of parsed.error.issues)
        at(['hooks', ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')], issue.message);
    else hooks = data.hooks;
  }
  return { file, ...(allowed ? { allowedMcpServers: allowed } : {}), deniedMcpServers: denied, permissions, ...(hooks ? { hooks } : {}) };
}

type At = (p: JsonPath, message: string) => void;

function matchers(value: unknown, where: JsonPath, at: At): ServerMatcher[] | undefined {
  if (!Array.isArray(value)) {
    at(where, `expected a list of {"serverName": …}, {"serverCommand": […]} or {"serverUrl": …} entries, found ${describeFound(value)}`);
    return undefined;
  }
  const out: ServerMatcher[] = [];
  value.forEach((entry: unknown, i) => {
    const m = matcher(entry, [...where, i], at);
    if (m) out.push(m);
  });
  return out;
}

function matcher(entry: unknown, where: JsonPath, at: At): ServerMatcher | undefined {
  const keys = isRecord(entry) ? Object.keys(entry) : [];
  if (!isRecord(entry) || keys.length !== 1 || !MATCHER_KEYS.includes(keys[0] ?? '')) {
    at(
      where,
      `expected an object with exactly one of ${MATCHER_KEYS.join(', ')}, found ${isRecord(entry) ? `the keys ${keys.join(', ') || '(none)'}` : describeFound(entry)}`,
    );
    return undefined;
  }
  if ('serverName' in entry) {
    const name = entry.serverName;
    if (typeof name === 'string' && name.trim() !== '') return { serverName: name };
    at([...where, 'serverName'], `expected a server name, found ${describeFound(name)}`);
    return undefined;
  }
  if ('serverCommand' in entry) {
    const argv = entry.serverCommand;
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a): a is string => typeof a === 'string') || argv[0] === '') {
      at(
        [...where, 'serverCommand'],
        `expected a non-empty list of strings (the command, then its arguments), found ${describeFound(argv)}`,
      );
      return undefined;
    }
    const command = argv[0] ?? '';
    // A relative path would mean a different program in every directory.
    if (/[/\\]/.test(command) && !path.isAbsolute(command) && !path.win32.isAbsolute(command)) {
      at(
        [...where, 'serverCommand', 0],
        `"${command}" is a relative path; write a bare command name (looked up on PATH) or an absolute path`,
      );
      return undefined;
    }
    return { serverCommand: argv };
  }
  const url = entry.serverUrl;
  const problem =
    typeof url === 'string'
      ? urlPatternProblem(url)
      : `expected a URL pattern such as "https://*.corp.example/*", found ${describeFound(url)}`;
  if (problem === undefined && typeof url === 'string') return { serverUrl: url };
  at([...where, 'serverUrl'], problem ?? 'invalid');
  return undefined;
}

/** Why a serverUrl pattern cannot be used, or undefined. The matcher (managed-url.ts) relies on this shape. */
export function urlPatternProblem(pattern: string): string | undefined {
  const m = /^([^:/?#]+):\/\/([^/?#]*)([^?#]*)$/.exec(pattern);
  if (!m) {
    return /[?#]/.test(pattern)
      ? `"${pattern}" has a query or fragment; a pattern matches the scheme, host, port and path only`
      : `"${pattern}" is not a URL pattern such as "https://*.corp.example/*" (scheme://host/path, * matches any characters)`;
  }
  if ((m[2] ?? '').includes('@')) return `"${pattern}" names a user (…@host); a pattern matches the scheme, host, port and path only`;
  if ((m[2] ?? '') === '') return `"${pattern}" has no host`;
  return undefined;
}

function rules(value: unknown, at: At): ManagedRules {
  const out: ManagedRules = { allow: [], ask: [], deny: [] };
  if (value === undefined) return out;
  if (!isRecord(value)) {
    at(['permissions'], `expected an object with allow, ask and deny lists, found ${describeFound(value)}`);
    return out;
  }
  for (const [key, list] of Object.entries(value)) {
    if (!RULE_KEYS.includes(key)) {
      const close = suggest(key, RULE_KEYS);
      at(['permissions', key], close ? `unknown key; did you mean "${close}"?` : 'unknown key (known keys: allow, ask, deny)');
      continue;
    }
    if (!Array.isArray(list) || !list.every((r): r is string => typeof r === 'string' && r !== '')) {
      at(['permissions', key], `expected a list of non-empty tool-name patterns such as "db__drop_*", found ${describeFound(list)}`);
      continue;
    }
    out[key as keyof ManagedRules] = list;
  }
  return out;
}

/** One entry as the policy file writes it, for messages and `mcpsh config`. */
export function describeMatcher(m: ServerMatcher): string {
  return JSON.stringify(m);
}
