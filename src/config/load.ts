// loadConfig: find the user and project files, interpolate, validate, merge and resolve them into
// the LoadedConfig that every command uses. One AppError('CONFIG') lists every problem in every file.
// mcp.config.{js,mjs,cjs,ts} files run code when loaded: with opts.trustGate, an untrusted one is not run
// (discover.ts) and the result says which files are untrusted (src/config/trust.ts decides and explains).
import path from 'node:path';
import { AppError } from '../errors.js';
import { appPaths } from '../paths.js';
import { findProjectConfig, readUserConfig, USER_FILE_NAME, type RawSource } from './discover.js';
import { unansweredInputs, type InputAnswers, type InputSpec } from './inputs.js';
import { formatPath } from './describe.js';
import { blockedServers } from './managed-match.js';
import { readManagedPolicy, type ManagedPolicy } from './managed-policy.js';
import { hookSetOf } from './hooks-schema.js';
import { mergePrepared } from './merge.js';
import { prepareSource, type Prepared } from './prepare.js';
import { resolveServer } from './resolve.js';
import type { RawConfig, ResolvedServer } from './schema.js';
import { credentialParts, isCredentialName } from './secrets.js';
import type { LoadedConfig, LoadOptions, ManagedInfo } from './types.js';
import { isRecord, serverClashError } from './validate.js';

/** How `${input:id}` values are found beyond MCPSH_INPUT_<ID> (src/config/inputs.ts). */
export interface InputOptions {
  /**
   * The chat's prompt: asked (once, before any server starts) for the inputs a trusted config uses and the
   * environment does not answer. Without it, such an input is a CONFIG error naming it and its variable.
   */
  askInputs?: (inputs: InputSpec[]) => Promise<InputAnswers>;
}

export async function loadConfig(opts: LoadOptions & InputOptions): Promise<LoadedConfig> {
  const warnings: string[] = [];
  const userFile = path.join(opts.userConfigDir ?? appPaths(opts.env).config, USER_FILE_NAME);
  // The administrator's policy is read beside the user file: a bad one stops the run (managed-policy.ts).
  const [policy, user] = await Promise.all([readManagedPolicy(opts.env), readUserConfig(userFile, warnings)]);
  const project = await findProjectConfig(opts, userFile);
  warnings.push(...project.warnings);
  // --config naming the user file itself must not load it twice (every server would "replace" itself).
  const userSource = user && user.path === project.source?.path ? undefined : user;
  const raw = [userSource, project.source].filter((s): s is RawSource => s !== undefined);

  // An untrusted file's questions are not asked (its review comes first), and its missing inputs are not yet errors.
  const trusted = project.untrusted === undefined;
  const answers: InputAnswers = {};
  if (trusted && opts.askInputs) {
    const unanswered = raw.flatMap((src) => unansweredInputs(src.data, src.path, opts.env, answers));
    if (unanswered.length > 0) Object.assign(answers, await opts.askInputs(unanswered));
  }
  const prepared = raw.map((src) => prepareSource(src, opts.env, { answers, strictInputs: trusted }));
  const broken = prepared.filter((p) => p.errors.length > 0);
  if (broken.length > 0) throw invalidConfig(broken);
  for (const p of prepared) warnings.push(...p.warnings);

  const merged = mergePrepared(prepared);
  warnings.push(...merged.warnings);
  const clash = serverClashError(merged.servers.map(({ draft, from }) => ({ name: draft.name, file: from.source.path })));
  if (clash) throw clash;
  const resolved = merged.servers.map(({ draft, from }) =>
    resolveServer(draft, { source: from.source.path, cwd: opts.cwd, problems: from.serverProblems.get(draft.name) }),
  );
  const managed = policy ? await applyPolicy(policy, resolved, opts) : undefined;
  const servers = managed?.servers ?? resolved;
  const mcpServers = Object.fromEntries(merged.servers.map(({ draft }) => [draft.name, draft.entry]));
  const config = withManagedRules({ ...merged.rest, mcpServers } as RawConfig, policy);
  warnings.push(...agentWarnings(config, servers));

  return {
    config,
    servers,
    sources: raw.map(({ path: p, scope }) => ({ path: p, scope })),
    warnings,
    secrets: collectSecrets(prepared, merged.servers, config),
    modelProblems: merged.modelProblems,
    hookSets: prepared.flatMap((p) => hookSetOf(p.rest, p.source) ?? []),
    searched: project.searched,
    ...(project.untrusted ? { untrusted: project.untrusted } : {}),
    ...(managed ? { managed: managed.info } : {}),
  };
}

/**
 * Marks the servers the policy blocks. A blocked server also gets its reason as configError, which the hub's
 * connection treats as "never start" (src/mcp/connection.ts): no process is spawned and no request is sent.
 */
async function applyPolicy(
  policy: ManagedPolicy,
  resolved: ResolvedServer[],
  opts: LoadOptions,
): Promise<{ servers: ResolvedServer[]; info: ManagedInfo }> {
  const blocked = await blockedServers(resolved, policy, { env: opts.env, cwd: opts.cwd });
  const servers = resolved.map((s) => {
    const b = blocked.get(s.name);
    return b ? { ...s, blocked: b.reason, configError: b.reason } : s;
  });
  return { servers, info: { ...policy, blocked: [...blocked.values()] } };
}

/**
 * The policy's permission rules travel as permissions.managed (read by mergeRules in src/policy/permissions.ts,
 * where they cannot be loosened); a `managed` key that a user or project file wrote itself is dropped.
 */
function withManagedRules(config: RawConfig, policy: ManagedPolicy | undefined): RawConfig {
  const { managed: _ignored, ...own } = config.permissions ?? {};
  const rules = policy?.permissions;
  const hasRules = rules !== undefined && rules.allow.length + rules.ask.length + rules.deny.length > 0;
  if (!hasRules && config.permissions === undefined) return config;
  return { ...config, permissions: { ...own, ...(hasRules ? { managed: { file: policy?.file, ...rules } } : {}) } };
}

function invalidConfig(broken: Prepared[]): AppError {
  const count = broken.reduce((n, p) => n + p.errors.length, 0);
  const sections = broken.map((p) => `invalid config in ${p.source.path}:\n${p.errors.map((e) => `  - ${e}`).join('\n')}`);
  return new AppError('CONFIG', sections.join('\n'), {
    hint: `fix the ${count === 1 ? 'problem' : `${count} problems`} above, then run \`mcpsh config\` to check; every field is described in docs/configuration.md`,
  });
}

function agentWarnings(config: RawConfig, servers: ResolvedServer[]): string[] {
  const names = new Set(servers.map((s) => s.name));
  const out: string[] = [];
  for (const [agent, def] of Object.entries(config.agents ?? {})) {
    for (const s of def.servers ?? []) {
      if (!names.has(s)) out.push(`agent "${agent}" lists server "${s}", which is not configured`);
    }
  }
  return out;
}

/** Values that must never be printed: everything read from the environment, and credential-like fields. */
function collectSecrets(prepared: Prepared[], servers: ReturnType<typeof mergePrepared>['servers'], config: RawConfig): string[] {
  const secrets = new Set<string>(prepared.flatMap((p) => p.fromEnv));
  const addCredentials = (record: unknown, at: (string | number)[], from: Prepared | undefined): void => {
    if (!isRecord(record)) return;
    for (const [name, value] of Object.entries(record)) {
      // A value still holding an unresolved ${VAR} is not a secret, and masking it would hide the reference.
      if (typeof value !== 'string' || !isCredentialName(name) || from?.unresolved.has(formatPath([...at, name]))) continue;
      for (const part of credentialParts(value)) secrets.add(part);
    }
  };
  for (const { draft, from } of servers) {
    addCredentials(draft.entry.env, ['mcpServers', draft.name, 'env'], from);
    addCredentials(draft.entry.headers, ['mcpServers', draft.name, 'headers'], from);
    addCredentials(draft.entry.oauth, ['mcpServers', draft.name, 'oauth'], from);
  }
  const model = config.model;
  if (model) {
    const owner = (key: string): Prepared | undefined => [...prepared].reverse().find((p) => isRecord(p.rest.model) && key in p.rest.model);
    const apiKeyOwner = owner('apiKey');
    if (typeof model.apiKey === 'string' && !apiKeyOwner?.unresolved.has('model.apiKey')) secrets.add(model.apiKey);
    addCredentials(model.headers, ['model', 'headers'], owner('headers'));
  }
  return [...secrets].filter((s) => s !== '');
}

/** The error for "no config file anywhere", saying where loading looked. Commands that need servers use it. */
export function noConfigError(loaded: Pick<LoadedConfig, 'searched'>): AppError {
  const s = loaded.searched;
  const where = s?.from
    ? `searched ${s.from}${s.to && s.to !== s.from ? ` and each parent up to ${s.to}` : ''} for ${s.places.map((p) => (p === 'package.json' ? 'package.json#mcp' : p)).join(', ')}, and the user file ${s.userFile}`
    : 'looked for a project config and the user file';
  return new AppError('CONFIG', `no config found: ${where}`, { hint: ADD_SERVERS_HINT });
}

/** How to get servers: said wherever there are none (commands that need them, and the chat that starts without). */
export const ADD_SERVERS_HINT =
  'add a server with `mcpsh mcp add NAME -- COMMAND [ARGS...]`, or run `mcpsh init` to write a starter mcp.config.json here; --config FILE uses a file you have (a claude_desktop_config.json or .mcp.json works as is)';
