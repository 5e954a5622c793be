// `mcpsh doctor`: start every enabled server, ping it, and list what is wrong with it. Exit 0 only when
// every enabled server is healthy, so CI can gate on it. A server the managed policy blocks is reported (never
// started) but, like a disabled one, does not count against health, unless it is `required`.
import type { GlobalOptions } from '../options.js';
import { EXIT_CODES, errorMessage } from '../errors.js';
import type { Io } from '../io.js';
import type { ServerConnection } from '../mcp/connection.js';
import type { Hub } from '../mcp/hub.js';
import { schemaProblem } from '../mcp/validate-args.js';
import { protocolLabel, serverStatusJson, type ServerStatusJson } from '../output/servers.js';
import { formatMs, formatTable } from '../output/table.js';
import { openHost } from './host.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

const SLOW_CONNECT_MS = 5000;

interface Problem {
  severity: 'error' | 'warning';
  message: string;
}

interface DoctorReport extends ServerStatusJson {
  healthy: boolean;
  pingMs: number | null;
  problems: Problem[];
}

export async function runDoctor(opts: GlobalOptions & { json?: boolean }, rawIo: Io): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  const host = await openHost(opts, io);
  try {
    const { hub, loaded } = host;
    await hub.connectAll({ signal: io.signal });
    const reports = await Promise.all(hub.connections.map((c) => examine(c, hub, io.signal)));
    const healthy = reports.filter((r, i) => counts(r, hub.connections[i])).every((r) => r.healthy);
    if (opts.json) {
      const json = { healthy, config: loaded.sources.map((s) => s.path), servers: reports };
      io.stdout.write(`${jsonText(json, 2)}\n`);
    } else {
      io.stdout.write(
        renderReport(
          reports,
          loaded.sources.map((s) => s.path),
        ),
      );
    }
    return healthy ? 0 : EXIT_CODES.UNHEALTHY;
  } finally {
    await host.close();
  }
}

/** Whether a server's health is part of the verdict: not when disabled, nor when blocked unless required. */
function counts(r: DoctorReport, c: ServerConnection | undefined): boolean {
  if (r.state === 'disabled') return false;
  return r.state !== 'blocked' || c?.config.required === true;
}

async function examine(c: ServerConnection, hub: Hub, signal: AbortSignal): Promise<DoctorReport> {
  const base = serverStatusJson(c);
  const problems: Problem[] = [];
  let pingMs: number | null = null;
  if (c.config.blocked !== undefined) problems.push({ severity: c.config.required ? 'error' : 'warning', message: c.config.blocked });
  else if (c.state === 'failed') problems.push({ severity: 'error', message: c.error ?? 'failed to start' });
  if (c.state === 'ready') {
    try {
      pingMs = Math.round((await c.ping(signal)) * 10) / 10;
    } catch (err) {
      problems.push({ severity: 'error', message: `ping failed: ${errorMessage(err)}` });
    }
    if ((c.connectMs ?? 0) > SLOW_CONNECT_MS) {
      problems.push({
        severity: 'warning',
        message: `slow to start (${formatMs(c.connectMs)}); the chat waits less for it than doctor does`,
      });
    }
    if (!c.capabilities?.tools) problems.push({ severity: 'warning', message: 'declares no tools capability' });
    for (const tool of c.tools) {
      const schema = schemaProblem(tool.inputSchema);
      if (schema) problems.push({ severity: 'warning', message: `tool ${tool.name}: input schema cannot be checked (${schema})` });
      const exposed = hub.nameOf(c.name, tool.name);
      if (exposed !== `${c.name}__${tool.name}`) {
        problems.push({
          severity: 'warning',
          message: `tool ${tool.name} is exposed to models as ${exposed} (name too long, odd characters, or a collision)`,
        });
      }
    }
  }
  const healthy = c.state === 'ready' && problems.every((p) => p.severity !== 'error');
  return { ...base, healthy, pingMs, problems };
}

function renderReport(reports: DoctorReport[], sources: string[]): string {
  const rows = reports.map((r) => [
    r.state === 'disabled' || (r.state === 'blocked' && r.problems.every((p) => p.severity !== 'error')) ? '-' : r.healthy ? '✓' : '✗',
    r.name,
    r.transport,
    r.state,
    r.state === 'ready' ? `${r.tools} tool${r.tools === 1 ? '' : 's'}` : '',
    r.state === 'ready' ? `connect ${formatMs(r.connectMs ?? undefined)}` : '',
    r.pingMs !== null ? `ping ${formatMs(r.pingMs)}` : '',
    r.state === 'ready' && r.era ? protocolLabel(r) : '',
    r.serverInfo ? `${r.serverInfo.name} ${r.serverInfo.version}` : '',
  ]);
  const lines = [`config: ${sources.join(', ') || '(none)'}`, formatTable(rows)];
  for (const r of reports) {
    for (const p of r.problems) lines.push(`  ${r.name}: ${p.severity}: ${p.message}`);
  }
  const blocked = reports.filter((r) => r.state === 'blocked').length;
  const enabled = reports.filter((r) => r.state !== 'disabled' && r.state !== 'blocked');
  const healthy = enabled.filter((r) => r.healthy).length;
  const disabled = reports.length - enabled.length - blocked;
  lines.push(
    `${healthy} of ${enabled.length} enabled server${enabled.length === 1 ? '' : 's'} healthy${disabled ? `, ${disabled} disabled` : ''}${blocked ? `, ${blocked} blocked by the managed policy` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
