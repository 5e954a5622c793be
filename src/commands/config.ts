// `mcpsh config`: the resolved config, where each part came from, and the warnings, with secrets redacted; and
// what the administrator's managed policy enforces (src/config/managed-policy.ts), with the servers it blocks.
import { loadConfig, noConfigError } from '../config/load.js';
import type { ResolvedServer } from '../config/schema.js';
import { projectTrustGate } from '../config/trust.js';
import { describeMatcher, type ServerMatcher } from '../config/managed-policy.js';
import type { LoadedConfig, ManagedInfo, UntrustedFiles } from '../config/types.js';
import { writeLine, type Io } from '../io.js';
import { makeRedactor, redactConfig } from '../policy/redact.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

export async function runConfig(opts: { config?: string; json?: boolean; trust?: boolean }, rawIo: Io): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  // Showing a config runs nothing, but an untrusted code config must not even be imported to show it.
  const trustGate = projectTrustGate({ trust: opts.trust, configPath: opts.config }, io.env);
  const loaded = await loadConfig({ cwd: io.cwd, env: io.env, configPath: opts.config, ...(trustGate ? { trustGate } : {}) });
  if (loaded.sources.length === 0) throw noConfigError(loaded);
  // Sources are paths mcpsh found itself, never secrets: keep them readable even if an env value matches.
  const servers = redactConfig(loaded.servers, loaded.secrets).map((s, i) => ({ ...s, source: loaded.servers[i]?.source ?? s.source }));
  const config = redactConfig(loaded.config, loaded.secrets);
  const redact = makeRedactor(loaded.secrets);
  const warnings = loaded.warnings.map(redact);
  const modelProblems = loaded.modelProblems.map(redact);
  if (opts.json) {
    // `managed` is there only when a policy file exists.
    const managed = loaded.managed ? { managed: managedJson(loaded.managed) } : {};
    writeLine(io.stdout, jsonText({ sources: loaded.sources, servers, config, warnings, modelProblems, ...managed }, 2));
    return 0;
  }
  io.stdout.write(renderText(loaded, servers, config, warnings, modelProblems, loaded.managed ? managedText(loaded.managed) : undefined));
  if (loaded.untrusted) io.stdout.write(`${untrustedNote(loaded.untrusted)}\n`);
  return 0;
}

/** What the policy enforces, for --json: its lists as written, how many hooks it runs, and whom it blocks here. */
function managedJson(m: ManagedInfo): Record<string, unknown> {
  return {
    file: m.file,
    allowedMcpServers: m.allowedMcpServers ?? null,
    deniedMcpServers: m.deniedMcpServers,
    permissions: m.permissions,
    hooks: hookCount(m.hooks),
    blocked: m.blocked.map((b) => ({ name: b.name, rule: b.rule })),
  };
}

/** Hook commands in a hooks section ({event: [{matcher, hooks: [...]}]}), counted as far as its shape is clear. */
function hookCount(hooks: Record<string, unknown> | undefined): number {
  let n = 0;
  for (const groups of Object.values(hooks ?? {})) {
    if (!Array.isArray(groups)) continue;
    for (const g of groups as unknown[]) {
      const list = typeof g === 'object' && g !== null ? (g as { hooks?: unknown }).hooks : undefined;
      n += Array.isArray(list) ? list.length : 0;
    }
  }
  return n;
}

function managedText(m: ManagedInfo): string {
  const list = (ms: readonly ServerMatcher[]): string => ms.map(describeMatcher).join(', ');
  const allowed =
    m.allowedMcpServers === undefined
      ? 'any server it does not deny'
      : m.allowedMcpServers.length === 0
        ? 'none (the list is empty: no server may run)'
        : list(m.allowedMcpServers);
  const lines = [
    `Managed policy (user and project configs cannot loosen it): ${m.file}`,
    `  allowed servers: ${allowed}`,
    `  denied servers:  ${m.deniedMcpServers.length > 0 ? list(m.deniedMcpServers) : 'none'}`,
  ];
  for (const key of ['deny', 'ask', 'allow'] as const) {
    if (m.permissions[key].length > 0) lines.push(`  permissions.${key}: ${m.permissions[key].join(', ')}`);
  }
  lines.push(`  hooks: ${hookCount(m.hooks)} (run before any other hooks)`);
  if (m.blocked.length > 0) {
    lines.push('  blocked here (never started):');
    for (const b of m.blocked) lines.push(`    ${b.name}: ${b.rule}`);
  }
  return lines.join('\n');
}

function untrustedNote(u: UntrustedFiles): string {
  const what = u.codeNotRun
    ? 'is code and was not run, so what it configures is not shown above'
    : 'is shown above, but mcpsh starts none of its servers';
  return `Not trusted: ${u.files.join(', ')} ${what}. Review it, then run \`mcpsh trust\` (or pass --trust for one run).`;
}

function target(s: ResolvedServer): string {
  if (s.transport === 'stdio') return [s.command, ...s.args].map((a) => (/[\s"']/.test(a) || a === '' ? jsonText(a) : a)).join(' ');
  return s.url;
}

function renderText(
  loaded: LoadedConfig,
  servers: ResolvedServer[],
  config: unknown,
  warnings: string[],
  modelProblems: string[],
  managed: string | undefined,
): string {
  const lines: string[] = ['Config files (later ones win):'];
  for (const src of loaded.sources) lines.push(`  ${src.scope.padEnd(8)} ${src.path}`);
  lines.push('', servers.length === 0 ? 'Servers: none configured' : `Servers (${servers.length}):`);
  const width = Math.max(0, ...servers.map((s) => s.name.length));
  for (const s of servers) {
    const flags = [!s.enabled && 'disabled', s.required && 'required'].filter(Boolean).join(', ');
    lines.push(`  ${s.name.padEnd(width)}  ${s.transport.padEnd(5)}  ${target(s)}${flags ? `  (${flags})` : ''}`);
    lines.push(`  ${' '.repeat(width)}  from ${s.source}`);
    if (s.blocked !== undefined) lines.push(`  ${' '.repeat(width)}  ${s.blocked} (never started)`);
    else if (s.configError) lines.push(`  ${' '.repeat(width)}  problem: ${s.configError}`);
  }
  if (modelProblems.length > 0) {
    lines.push('', 'Model problems (they matter only for the chat and `ask`):');
    for (const p of modelProblems) lines.push(`  - ${p}`);
  }
  if (warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of warnings) lines.push(`  - ${w}`);
  }
  if (managed !== undefined) lines.push('', managed);
  lines.push('', 'Resolved config (secrets redacted):', jsonText(config, 2), '');
  return lines.join('\n');
}
