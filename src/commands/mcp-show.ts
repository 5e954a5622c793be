// `mcpsh mcp list` and `mcpsh mcp get NAME`: the configured servers as the config loader sees them (every
// file merged, secrets redacted as `mcpsh config` does), without starting any of them.
import { loadConfig } from '../config/load.js';
import type { ResolvedServer } from '../config/schema.js';
import { projectTrustGate } from '../config/trust.js';
import type { LoadedConfig } from '../config/types.js';
import { AppError } from '../errors.js';
import { writeLine, type Io } from '../io.js';
import { redactConfig } from '../policy/redact.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';
import { suggest } from '../config/describe.js';

interface ShowOptions {
  config?: string;
  trust?: boolean;
  json?: boolean;
}

async function load(opts: ShowOptions, io: Io): Promise<{ loaded: LoadedConfig; servers: ResolvedServer[] }> {
  // Showing runs nothing, and an untrusted code config is not even imported (as in `mcpsh config`).
  const trustGate = projectTrustGate({ trust: opts.trust, configPath: opts.config }, io.env);
  const loaded = await loadConfig({ cwd: io.cwd, env: io.env, configPath: opts.config, ...(trustGate ? { trustGate } : {}) });
  const servers = redactConfig(loaded.servers, loaded.secrets).map((s, i) => ({ ...s, source: loaded.servers[i]?.source ?? s.source }));
  return { loaded, servers };
}

function target(s: ResolvedServer): string {
  if (s.transport === 'stdio') return [s.command, ...s.args].map((a) => (/[\s"']/.test(a) || a === '' ? jsonText(a) : a)).join(' ');
  return s.url;
}

function summary(s: ResolvedServer): Record<string, unknown> {
  return {
    name: s.name,
    transport: s.transport,
    target: target(s),
    enabled: s.enabled,
    source: s.source,
    ...(s.configError ? { problem: s.configError } : {}),
  };
}

export async function runMcpList(opts: ShowOptions, rawIo: Io): Promise<number> {
  const io = textIo(rawIo);
  const { loaded, servers } = await load(opts, io);
  if (opts.json) {
    writeLine(io.stdout, jsonText({ servers: servers.map(summary), untrusted: loaded.untrusted?.files ?? [] }, 2));
    return 0;
  }
  if (servers.length === 0) {
    writeLine(io.stdout, 'No servers configured. Add one with `mcpsh mcp add NAME -- COMMAND [ARGS…]` or `mcpsh mcp add NAME URL`.');
    return 0;
  }
  const rows = servers.map((s) => [s.name, s.transport, s.enabled ? 'enabled' : 'disabled', target(s), s.source]);
  const head = ['NAME', 'TRANSPORT', 'STATE', 'TARGET', 'FROM'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const r of [head, ...rows]) writeLine(io.stdout, r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '));
  if (loaded.untrusted)
    writeLine(
      io.stdout,
      `\nNot trusted: ${loaded.untrusted.files.join(', ')}; mcpsh starts none of its servers until you run \`mcpsh trust\`.`,
    );
  return 0;
}

export async function runMcpGet(name: string, opts: ShowOptions, rawIo: Io): Promise<number> {
  const io = textIo(rawIo);
  const { servers } = await load(opts, io);
  const server = servers.find((s) => s.name === name);
  if (!server) {
    const close = suggest(
      name,
      servers.map((s) => s.name),
    );
    throw new AppError('USAGE', `no server named "${name}"${close ? ` (did you mean "${close}"?)` : ''}`, {
      hint: '`mcpsh mcp list` shows the configured servers',
    });
  }
  if (opts.json) {
    writeLine(io.stdout, jsonText(server, 2));
    return 0;
  }
  const lines = [
    `${server.name}`,
    `  transport: ${server.transport}`,
    `  target:    ${target(server)}`,
    `  enabled:   ${server.enabled}`,
    `  from:      ${server.source}`,
  ];
  if (server.transport === 'stdio' && Object.keys(server.env).length > 0)
    lines.push(
      `  env:       ${Object.entries(server.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  if (server.transport !== 'stdio' && Object.keys(server.headers).length > 0)
    lines.push(
      `  headers:   ${Object.entries(server.headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')}`,
    );
  if (server.configError) lines.push(`  problem:   ${server.configError}`);
  writeLine(io.stdout, lines.join('\n'));
  return 0;
}
