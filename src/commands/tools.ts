// `mcpsh tools [server]`: every tool by the name the model sees, with its description (and schema on request).
import type { GlobalOptions } from '../options.js';
import { AppError } from '../errors.js';
import type { Io } from '../io.js';
import type { QualifiedTool } from '../mcp/hub.js';
import { formatTable, oneLine } from '../output/table.js';
import { openHost, requireServer } from './host.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

export async function runTools(
  server: string | undefined,
  opts: GlobalOptions & { schema?: boolean; json?: boolean; refresh?: boolean },
  rawIo: Io,
): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  const host = await openHost(opts, io);
  try {
    const { hub } = host;
    // The list printed is always live; --refresh also forgets what later runs would start from.
    if (opts.refresh) for (const c of hub.connections) if (server === undefined || c.name === server) host.toolCache.drop(c.config);
    if (server !== undefined) {
      const connection = requireServer(hub, server);
      if (connection.state === 'disabled') {
        throw new AppError('USAGE', `server "${server}" is disabled in the config`, {
          hint: `set "enabled": true for it in ${connection.config.source}`,
        });
      }
    }
    await hub.connectAll({ signal: io.signal, failFastOnRequired: true, ...(server !== undefined ? { only: [server] } : {}) });
    const considered = hub.connections.filter((c) => (server === undefined ? c.state !== 'disabled' : c.name === server));
    const failed = considered.filter((c) => c.state === 'failed');
    const tools = hub.tools().filter((t) => server === undefined || t.server === server);
    // Tools the server listed but mcpsh refused (a definition nested too deep): named, never silently gone.
    const skipped = considered.flatMap((c) => c.skippedTools.map((s) => ({ server: c.name, tool: s.tool, reason: s.reason })));

    if (opts.json) {
      const json = {
        tools: tools.map(toolJson),
        failed: failed.map((c) => ({ server: c.name, error: c.error ?? 'failed' })),
        skipped,
      };
      io.stdout.write(`${jsonText(json, 2)}\n`);
    } else {
      for (const c of failed) io.stderr.write(`mcpsh: server ${c.name} failed: ${c.error ?? 'unknown reason'}\n`);
      for (const s of skipped) io.stderr.write(`mcpsh: server ${s.server}: tool ${s.tool} left out: ${s.reason}\n`);
      io.stdout.write(
        renderTools(
          tools,
          considered.map((c) => c.name),
          opts.schema === true,
        ),
      );
    }
    // Asked for one server and it failed: that is an error. Listing all: partial results are still useful.
    if (server !== undefined && failed.length > 0) return 4;
    if (server === undefined && failed.length === considered.length && considered.length > 0) return 4;
    return 0;
  } finally {
    await host.close();
  }
}

function toolJson(t: QualifiedTool): Record<string, unknown> {
  return {
    name: t.name,
    server: t.server,
    tool: t.tool.name,
    ...(t.tool.title !== undefined ? { title: t.tool.title } : {}),
    description: t.tool.description ?? null,
    inputSchema: t.tool.inputSchema,
    ...(t.tool.outputSchema !== undefined ? { outputSchema: t.tool.outputSchema } : {}),
    ...(t.tool.annotations !== undefined ? { annotations: t.tool.annotations } : {}),
  };
}

function renderTools(tools: QualifiedTool[], serverOrder: string[], withSchema: boolean): string {
  const out: string[] = [];
  for (const server of serverOrder) {
    const mine = tools.filter((t) => t.server === server);
    if (mine.length === 0) continue;
    out.push(`${server} (${mine.length} tool${mine.length === 1 ? '' : 's'})`);
    if (withSchema) {
      for (const t of mine) {
        out.push(`  ${t.name}${hints(t)}`, ...wrapIndented(t.tool.description, '    '));
        out.push(
          ...jsonText(t.tool.inputSchema, 2)
            .split('\n')
            .map((l) => `    ${l}`),
          '',
        );
      }
    } else {
      out.push(formatTable(mine.map((t) => [`  ${t.name}${hints(t)}`, oneLine(t.tool.description, 90)])));
    }
    out.push('');
  }
  if (out.length === 0) return 'no tools\n';
  return `${out.join('\n').trimEnd()}\n`;
}

function hints(t: QualifiedTool): string {
  const a = t.tool.annotations;
  if (a?.destructiveHint === true && a.readOnlyHint !== true) return ' [destructive]';
  if (a?.readOnlyHint === true) return ' [read-only]';
  return '';
}

function wrapIndented(text: string | undefined, indent: string): string[] {
  return text
    ? text
        .trim()
        .split('\n')
        .map((l) => `${indent}${l}`)
    : [];
}
