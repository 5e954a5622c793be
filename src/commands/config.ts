// `mcpsh config`: the resolved config, where each part came from, and the warnings, with secrets redacted.
import { loadConfig, noConfigError } from '../config/load.js';
import type { ResolvedServer } from '../config/schema.js';
import { projectTrustGate } from '../config/trust.js';
import type { LoadedConfig, UntrustedFiles } from '../config/types.js';
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
    writeLine(io.stdout, jsonText({ sources: loaded.sources, servers, config, warnings, modelProblems }, 2));
    return 0;
  }
  io.stdout.write(renderText(loaded, servers, config, warnings, modelProblems));
  if (loaded.untrusted) io.stdout.write(`${untrustedNote(loaded.untrusted)}\n`);
  return 0;
}

function untrustedNote(u: UntrustedFiles): string {
  const what = u.codeNotRun ? 'is code and was not run, so what it configures is not shown above' : 'is shown above, but mcpsh starts none of its servers';
  return `Not trusted: ${u.files.join(', ')} ${what}. Review it, then run \`mcpsh trust\` (or pass --trust for one run).`;
}

function target(s: ResolvedServer): string {
  if (s.transport === 'stdio') return [s.command, ...s.args].map((a) => (/[\s"']/.test(a) || a === '' ? jsonText(a) : a)).join(' ');
  return s.url;
}

function renderText(loaded: LoadedConfig, servers: ResolvedServer[], config: unknown, warnings: string[], modelProblems: string[]): string {
  const lines: string[] = ['Config files (later ones win):'];
  for (const src of loaded.sources) lines.push(`  ${src.scope.padEnd(8)} ${src.path}`);
  lines.push('', servers.length === 0 ? 'Servers: none configured' : `Servers (${servers.length}):`);
  const width = Math.max(0, ...servers.map((s) => s.name.length));
  for (const s of servers) {
    const flags = [!s.enabled && 'disabled', s.required && 'required'].filter(Boolean).join(', ');
    lines.push(`  ${s.name.padEnd(width)}  ${s.transport.padEnd(5)}  ${target(s)}${flags ? `  (${flags})` : ''}`);
    lines.push(`  ${' '.repeat(width)}  from ${s.source}`);
    if (s.configError) lines.push(`  ${' '.repeat(width)}  problem: ${s.configError}`);
  }
  if (modelProblems.length > 0) {
    lines.push('', 'Model problems (they matter only for the chat and `ask`):');
    for (const p of modelProblems) lines.push(`  - ${p}`);
  }
  if (warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of warnings) lines.push(`  - ${w}`);
  }
  lines.push('', 'Resolved config (secrets redacted):', jsonText(config, 2), '');
  return lines.join('\n');
}
