// What trusting a project config would allow, built from the file's own text (the same bytes whose hash is
// recorded): each server's command, arguments, env, URL, headers, cwd, the model endpoint, and every ${VAR} it reads.
import type { LoaderSync } from 'cosmiconfig';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../errors.js';
import { parseJsonc } from './jsonc.js';
import { isCodeConfig, hashConfigText } from './trust-hash.js';
import { collectRefs, hasRefs, isSecretVariable, type VarRef } from './trust-refs.js';
import { describeSink, type SinkContext } from './trust-sinks.js';
import { hookCommandsForReview } from './hooks-schema.js';
import { isCredentialName } from './secrets.js';
import type { ResolvedServer } from './schema.js';
import type { LoadedConfig } from './types.js';
import type { ReviewServer, ReviewValue } from './trust-review-types.js';

export type { ReviewServer, ReviewValue } from './trust-review-types.js';
import { isRecord } from './validate.js';

export interface ReviewRef extends VarRef {
  /** Where its value goes, in words ("header X-Api-Key of http://…"). */
  to: string;
  secret: boolean;
  /** A well-known secret that leaves this machine: to a server, or to a model endpoint that is not OpenAI's. */
  flagged: boolean;
}

/** What trusting a config would allow. */
export interface TrustDescription {
  /** The project files trust would be recorded for (the config, what it $imports, the modules code imports). */
  files: string[];
  /** True when a file is code: mcpsh cannot show what it does without running it. */
  code: boolean;
  servers: ReviewServer[];
  model?: { baseURL?: string; apiKey?: ReviewValue; headers?: ReviewValue[]; nonDefault: boolean; yourKey: boolean };
  /** Every environment variable read, in file order. */
  refs: ReviewRef[];
  /** Other settings that widen what runs or what is allowed (permission rules, browser command, roots, audit log). */
  settings: ReviewValue[];
}

const OPENAI_HOST = 'api.openai.com';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function valueOf(name: string, value: string, credential = isCredentialName(name)): ReviewValue {
  // A literal in a credential-named field is a secret written in the file: masked, as everywhere mcpsh prints.
  return !hasRefs(value) && credential && value !== '' ? { name, value: '***', masked: true } : { name, value };
}

function values(record: unknown): ReviewValue[] {
  return isRecord(record) ? Object.entries(record).flatMap(([k, v]) => (typeof v === 'string' ? [valueOf(k, v)] : [])) : [];
}

/** The raw (not interpolated) document of the project config, merged with what it $imports, read without running code. */
function readRaw(file: string, expected: Record<string, string>): unknown {
  const seen = new Map<string, string>();
  const check = (f: string, content: string): void => {
    seen.set(f, content);
    const want = expected[f];
    if (want !== undefined && want !== hashConfigText(content)) {
      throw new AppError('CONFIG', `${f} changed while mcpsh was reading it`, { hint: 'run the command again to review the new content' });
    }
  };
  const json: LoaderSync = (f, content) => (check(f, content), parseJsonc(f, content));
  const code: LoaderSync = (f, content) => (check(f, content), {});
  // Loaded here, only when a review is shown: the commands that merely load a trusted config never pay for it.
  const { cosmiconfigSync } = createRequire(import.meta.url)('cosmiconfig') as typeof import('cosmiconfig');
  const explorer = cosmiconfigSync('mcp', {
    packageProp: 'mcp',
    searchStrategy: 'none',
    cache: false,
    loaders: { '.js': code, '.mjs': code, '.cjs': code, '.ts': code, '.json': json, noExt: json, default: json },
  });
  return explorer.load(file)?.config;
}

function cwdOf(raw: Record<string, unknown>, resolved: ResolvedServer | undefined, source: string): { path: string; note?: string } {
  const written = str(raw.cwd);
  if (written === undefined) return { path: resolved?.transport === 'stdio' ? resolved.cwd : '', note: 'the directory you run mcpsh in' };
  // A template is shown as written: its resolved form would print the variable's value.
  if (hasRefs(written)) return { path: written, note: `relative to ${path.dirname(source)}` };
  return { path: path.resolve(path.dirname(source), written) };
}

function reviewServer(name: string, raw: Record<string, unknown>, resolved: ResolvedServer | undefined, source: string): ReviewServer {
  const enabled = resolved?.enabled ?? !(raw.enabled === false || raw.disabled === true);
  if (typeof raw.command === 'string') {
    const env = values(raw.env);
    return {
      name,
      transport: 'stdio',
      enabled,
      command: raw.command,
      args: Array.isArray(raw.args) ? raw.args.filter((a): a is string => typeof a === 'string') : [],
      cwd: cwdOf(raw, resolved, source),
      ...(env.length > 0 ? { env } : {}),
      ...(raw.inheritEnv === true ? { inheritEnv: true } : {}),
    };
  }
  const headers = values(raw.headers);
  const helper = str(raw.headersHelper);
  const oauth = raw.oauth === false ? false : isRecord(raw.oauth) ? oauthValues(raw.oauth) : undefined;
  return {
    name,
    transport: resolved && resolved.transport !== 'stdio' ? resolved.transport : 'auto',
    enabled,
    url: str(raw.url) ?? '',
    ...(headers.length > 0 ? { headers } : {}),
    ...(helper !== undefined ? { headersHelper: { command: helper, cwd: path.dirname(source) } } : {}),
    ...(oauth !== undefined ? { oauth } : {}),
  };
}

const OAUTH_SECRETS = new Set(['clientSecret', 'privateKey', 'assertion', 'idToken']);

/**
 * The oauth settings, nested ones (`idp`) flattened to `idp.clientId`: credentials written in the file are
 * masked, and `*Command` / `*File` fields say that a shell command will run or a file will be read.
 */
function oauthValues(o: Record<string, unknown>, prefix = ''): ReviewValue[] {
  return Object.entries(o).flatMap(([k, v]): ReviewValue[] => {
    const name = `${prefix}${k}`;
    if (isRecord(v)) return oauthValues(v, `${name}.`);
    if (typeof v !== 'string') return [{ name, value: JSON.stringify(v) }];
    if (k.endsWith('Command')) return [{ name, value: v, note: 'a shell command mcpsh runs' }];
    if (k.endsWith('File')) return [{ name, value: v, note: 'a file mcpsh reads' }];
    return [valueOf(name, v, OAUTH_SECRETS.has(k) || isCredentialName(k))];
  });
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url === undefined ? undefined : new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function reviewModel(raw: unknown, loaded: LoadedConfig, env: NodeJS.ProcessEnv): TrustDescription['model'] {
  if (!isRecord(raw)) return undefined;
  const baseURL = str(raw.baseURL);
  const apiKey = str(raw.apiKey);
  const headers = values(raw.headers);
  // What would be used now: OPENAI_BASE_URL wins over the config; the config's value is the resolved one.
  const envOverride = (env.OPENAI_BASE_URL ?? '').trim() !== '';
  const nonDefault = baseURL !== undefined && !envOverride && hostOf(str(loaded.config.model?.baseURL)) !== OPENAI_HOST;
  // The project's endpoint gets your key unless the project names a key of its own, written in the file.
  const yourKey = nonDefault && (apiKey === undefined || hasRefs(apiKey));
  if (baseURL === undefined && apiKey === undefined && headers.length === 0) return undefined;
  return {
    ...(baseURL !== undefined ? { baseURL } : {}),
    ...(apiKey !== undefined ? { apiKey: valueOf('apiKey', apiKey) } : {}),
    ...(headers.length > 0 ? { headers } : {}),
    nonDefault,
    yourKey,
  };
}

function settingsOf(doc: Record<string, unknown>): ReviewValue[] {
  const out: ReviewValue[] = [];
  const perms = isRecord(doc.permissions) ? doc.permissions : {};
  for (const list of ['allow', 'ask', 'deny', 'sampling'] as const) {
    const v = perms[list];
    if (Array.isArray(v)) for (const rule of v) if (typeof rule === 'string') out.push({ name: `permissions.${list}`, value: rule });
  }
  if (perms.autoAllowReadOnly === true) out.push({ name: 'permissions.autoAllowReadOnly', value: 'true' });
  if (typeof perms.elicitation === 'string') out.push({ name: 'permissions.elicitation', value: perms.elicitation });
  if (typeof doc.browser === 'string') out.push({ name: 'browser (a command that opens sign-in URLs)', value: doc.browser });
  if (Array.isArray(doc.roots))
    for (const r of doc.roots) if (typeof r === 'string') out.push({ name: 'root offered to every server', value: r });
  if (doc.auditLog !== undefined)
    out.push({ name: 'auditLog', value: typeof doc.auditLog === 'string' ? doc.auditLog : JSON.stringify(doc.auditLog) });
  out.push(...hookCommandsForReview(doc.hooks));
  return out;
}

export function describeForTrust(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): TrustDescription {
  const project = loaded.sources.find((s) => s.scope === 'project');
  const files = loaded.untrusted?.files ?? (project ? [project.path] : []);
  const code = files.some(isCodeConfig) || loaded.untrusted?.codeNotRun === true;
  const empty: TrustDescription = { files, code, servers: [], refs: [], settings: [] };
  if (!project || isCodeConfig(project.path)) return empty;
  const rawDoc = readRaw(project.path, loaded.untrusted?.sha256 ?? {});
  // cosmiconfig already descends into package.json's "mcp", as the loader does.
  const root = rawDoc;
  if (!isRecord(root)) return empty;
  // VS Code's .vscode/mcp.json keeps its servers under `servers` (the loader reads it the same way).
  const serversKey = !('mcpServers' in root) && isRecord(root.servers) ? 'servers' : 'mcpServers';
  const rawServers = isRecord(root[serversKey]) ? root[serversKey] : {};
  const resolved = new Map(loaded.servers.filter((s) => s.source === project.path).map((s) => [s.name, s]));
  const servers = Object.entries(rawServers).flatMap(([name, raw]) =>
    isRecord(raw) ? [reviewServer(name, raw, resolved.get(name), project.path)] : [],
  );
  const model = reviewModel(root.model, loaded, env);
  const ctx: SinkContext = {
    servers: new Map(servers.map((s) => [s.name, s])),
    modelBaseURL: model?.baseURL,
    modelNonDefault: model?.nonDefault === true,
  };
  const refs = collectRefs(root).map((r): ReviewRef => {
    const where = r.path[0] === 'servers' && serversKey === 'servers' ? { ...r, path: ['mcpServers', ...r.path.slice(1)] } : r;
    const sink = describeSink(where.path, ctx);
    const secret = isSecretVariable(r.variable);
    return { ...r, to: sink.to, secret, flagged: secret && sink.leaves };
  });
  return { files, code, servers, ...(model ? { model } : {}), refs, settings: settingsOf(root) };
}
