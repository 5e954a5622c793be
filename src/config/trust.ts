// Project trust: a config found in the project (not the user's own file) may start programs, so it is
// used only once the user trusted that file with that exact content (`mcpsh trust`, --trust, MCPSH_TRUST=1).
// Records live in <data>/trust.json (0600), keyed by absolute path, holding the sha256 of the text.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError, errorMessage } from '../errors.js';
import { appPaths } from '../paths.js';
import { redactConfig } from '../policy/redact.js';
import type { ResolvedServer } from './schema.js';
import type { LoadedConfig, TrustGate, UntrustedFiles } from './types.js';

export interface TrustRecord {
  sha256: string;
  trustedAt: string;
}

interface TrustStore {
  version: 1;
  files: Record<string, TrustRecord>;
}

export type TrustState = 'trusted' | 'changed' | 'missing';

export interface TrustListEntry extends TrustRecord {
  path: string;
  /** changed: the file was edited since it was trusted; missing: it no longer exists. */
  state: TrustState;
}

const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts']);

export function trustStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(appPaths(env).data, 'trust.json');
}

/** sha256 (hex) of a config file's text, as cosmiconfig reads it (UTF-8). */
export function hashConfigText(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** True for configs that run code when loaded (mcp.config.js, .mjs, .cjs, .ts). */
export function isCodeConfig(file: string): boolean {
  return CODE_EXTENSIONS.has(path.extname(file));
}

/** MCPSH_TRUST=1 (CI) or --trust: trust every project config for this run, recording nothing. */
export function trustAllRequested(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (flag === true) return true;
  const v = env.MCPSH_TRUST?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false' && v !== 'no';
}

/** The key a file is recorded under: its real absolute path, so a symlink or a relative path finds the same record. */
function keyOf(file: string): string {
  const abs = path.resolve(file);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

function readStore(env: NodeJS.ProcessEnv): TrustStore {
  const file = trustStorePath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, files: {} };
    throw new AppError('CONFIG', `cannot read the trust records ${file}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    const parsed = JSON.parse(text) as Partial<TrustStore>;
    return { version: 1, files: typeof parsed.files === 'object' && parsed.files !== null ? parsed.files : {} };
  } catch (err) {
    // A damaged store trusts nothing; saying so beats silently running configs.
    throw new AppError('CONFIG', `the trust records ${file} are not valid JSON`, { cause: err, hint: `delete ${file} and trust your project configs again with \`mcpsh trust\`` });
  }
}

function writeStore(env: NodeJS.ProcessEnv, store: TrustStore): void {
  const file = trustStorePath(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Write then rename: a crash never leaves half a file, and the new file is created 0600.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Whether `file` is trusted with its current content (or with `content`, when the caller already read it). */
export function isTrusted(file: string, env: NodeJS.ProcessEnv = process.env, content?: string): boolean {
  const record = readStore(env).files[keyOf(file)];
  if (!record) return false;
  let text = content;
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return false;
    }
  }
  return record.sha256 === hashConfigText(text);
}

/** The record for a file, whatever its current content (to tell "never trusted" from "changed since"). */
export function trustRecordOf(file: string, env: NodeJS.ProcessEnv = process.env): TrustRecord | undefined {
  return readStore(env).files[keyOf(file)];
}

/**
 * Trusts `file`: with the content it had when the user reviewed it (`sha256`, from LoadedConfig.untrusted),
 * else with its current content. Returns the record written.
 */
export function recordTrust(file: string, env: NodeJS.ProcessEnv = process.env, sha256?: string, now: Date = new Date()): TrustRecord & { path: string } {
  const key = keyOf(file);
  let hash = sha256;
  if (hash === undefined) {
    try {
      hash = hashConfigText(readFileSync(key, 'utf8'));
    } catch (err) {
      throw new AppError('USAGE', `cannot read ${key}: ${errorMessage(err)}`, { cause: err });
    }
  }
  const store = readStore(env);
  const record = { sha256: hash, trustedAt: now.toISOString() };
  store.files[key] = record;
  writeStore(env, store);
  return { path: key, ...record };
}

/** Forgets `file`; false when it was not recorded. */
export function revokeTrust(file: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const store = readStore(env);
  const key = keyOf(file);
  const exact = key in store.files ? key : path.resolve(file) in store.files ? path.resolve(file) : undefined;
  if (exact === undefined) return false;
  delete store.files[exact];
  writeStore(env, store);
  return true;
}

export function listTrust(env: NodeJS.ProcessEnv = process.env): TrustListEntry[] {
  return Object.entries(readStore(env).files).map(([file, record]) => {
    let state: TrustState;
    try {
      state = hashConfigText(readFileSync(file, 'utf8')) === record.sha256 ? 'trusted' : 'changed';
    } catch {
      state = 'missing';
    }
    return { path: file, ...record, state };
  });
}

/**
 * The loader's gate for commands that start servers: undefined (everything used) with --trust,
 * MCPSH_TRUST=1 or an explicit --config FILE (the user's own choice); else the trust records decide.
 */
export function projectTrustGate(options: { trust?: boolean; configPath?: string | undefined }, env: NodeJS.ProcessEnv): TrustGate | undefined {
  if (options.configPath !== undefined || trustAllRequested(options.trust, env)) return undefined;
  // One read of the store per load: the gate may be asked about a few files.
  const files = readStore(env).files;
  return (file, content) => files[keyOf(file)]?.sha256 === hashConfigText(content);
}

/** The error for a server-using command when the project config is not trusted. */
export function untrustedError(untrusted: UntrustedFiles, env: NodeJS.ProcessEnv = process.env): AppError {
  const file = untrusted.files[0] ?? 'the project config';
  const changed = untrusted.files.some((f) => trustRecordOf(f, env) !== undefined);
  const what = changed ? `${file} changed since you trusted it` : `${file} is a project config you have not trusted yet`;
  const others = untrusted.files.length > 1 ? ` (also untrusted: ${untrusted.files.slice(1).join(', ')})` : '';
  return new AppError('CONFIG', `${what}${others}; its servers were not started${untrusted.codeNotRun ? ' and its code was not run' : ''}`, {
    hint: 'review it, then run `mcpsh trust` to trust it (it shows what the config would run), or pass --trust (MCPSH_TRUST=1 in CI) to trust it for this run only',
  });
}

/** What trusting a config would allow: each server's command or URL (secrets redacted), and the model endpoint. */
export interface TrustDescription {
  /** The project files trust would be recorded for (the config and what it $imports). */
  files: string[];
  /** True when a file is code: mcpsh cannot show what it does without running it. */
  code: boolean;
  servers: Array<{ name: string; transport: string; target: string; cwd?: string; env?: string[]; headers?: string[]; enabled: boolean }>;
  modelBaseURL?: string;
}

export function describeForTrust(loaded: LoadedConfig): TrustDescription {
  const project = loaded.sources.find((s) => s.scope === 'project');
  const files = loaded.untrusted?.files ?? (project ? [project.path] : []);
  const fromProject = (s: ResolvedServer): boolean => project !== undefined && s.source === project.path;
  const servers = redactConfig(loaded.servers.filter(fromProject), loaded.secrets).map((s) => ({
    name: s.name,
    transport: s.transport,
    target: s.transport === 'stdio' ? commandLine(s.command, s.args) : s.url,
    enabled: s.enabled,
    ...(s.transport === 'stdio' ? { cwd: s.cwd, ...(Object.keys(s.env).length > 0 ? { env: Object.keys(s.env) } : {}) } : {}),
    ...(s.transport !== 'stdio' && Object.keys(s.headers).length > 0 ? { headers: Object.keys(s.headers) } : {}),
  }));
  const baseURL = loaded.config.model?.baseURL;
  return {
    files,
    code: files.some(isCodeConfig) || loaded.untrusted?.codeNotRun === true,
    servers,
    ...(typeof baseURL === 'string' ? { modelBaseURL: redactConfig(baseURL, loaded.secrets) } : {}),
  };
}

/** The description as lines for a terminal. */
export function formatTrustDescription(d: TrustDescription): string {
  const lines: string[] = [];
  if (d.code) {
    lines.push(
      `${d.files.filter(isCodeConfig).join(', ') || d.files.join(', ')} is code: loading it runs it, so mcpsh cannot show what it would start without running it.`,
      'Read the file before you trust it.',
    );
  }
  if (d.servers.length > 0) {
    lines.push(`${d.files[0] ?? 'The config'} would start or connect to:`);
    const width = Math.max(...d.servers.map((s) => s.name.length));
    for (const s of d.servers) {
      const extras = [s.cwd !== undefined ? `in ${s.cwd}` : '', s.env ? `env: ${s.env.join(', ')}` : '', s.headers ? `headers: ${s.headers.join(', ')}` : '', s.enabled ? '' : 'disabled']
        .filter(Boolean)
        .join('; ');
      lines.push(`  ${s.name.padEnd(width)}  ${s.transport.padEnd(5)}  ${s.target}${extras ? `  (${extras})` : ''}`);
    }
  } else if (!d.code) {
    lines.push(`${d.files[0] ?? 'The config'} starts no servers.`);
  }
  if (d.modelBaseURL !== undefined) lines.push(`Model requests (with your API key) go to: ${d.modelBaseURL}`);
  return `${lines.join('\n')}\n`;
}

function commandLine(command: string, args: string[]): string {
  return [command, ...args].map((a) => (/[\s"']/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ');
}
