// `mcpsh call <server> <tool> [json-args]`: one tool call, no model. Arguments are checked against the
// tool's input schema before anything is sent; the exit code says whether the tool succeeded.
import type { Tool } from '../mcp/types.js';
import type { GlobalOptions } from '../options.js';
import { AppError } from '../errors.js';
import { readAll, type Io } from '../io.js';
import { headlessClientPorts } from '../mcp/client-requests.js';
import type { ServerConnection } from '../mcp/connection.js';
import { renderToolResult } from '../mcp/render-result.js';
import { validateArgs } from '../mcp/validate-args.js';
import type { RawConfig } from '../config/schema.js';
import { auditLogPath, ClientAuditLog, type CallOutcome } from '../policy/audit-events.js';
import { redact, redactValue } from '../policy/redact.js';
import { closestMatch } from '../suggest.js';
import { connectOne, openHost } from './host.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

export interface CallOptions extends GlobalOptions {
  arg?: string[];
  json?: boolean;
  timeout?: number;
}

export async function runCall(
  server: string,
  toolName: string,
  jsonArgs: string | undefined,
  opts: CallOptions,
  rawIo: Io,
): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  const host = await openHost(opts, io);
  try {
    // A tool may ask back for input mid-call; like `ask`, no person is asked: permissions.elicitation decides
    // (decline, or the schema's defaults) and a note on stderr says what was answered. No model, so no sampling.
    host.hub.setClientPorts(
      headlessClientPorts({
        elicitation: host.loaded.config.permissions?.elicitation ?? 'decline',
        samplingServers: new Set(),
        model: undefined,
        notice: (message) => io.stderr.write(`mcpsh: note: ${redact(message)}\n`),
      }),
    );
    // Only the server being called is started.
    const connection = await connectOne(host, server, io);
    const tool = findTool(connection, toolName, host.hub.nameOf.bind(host.hub));
    const args = await buildArgs(jsonArgs, opts.arg ?? [], tool, io);
    const check = validateArgs(tool.inputSchema, args);
    if (!check.ok) {
      throw new AppError('USAGE', `invalid arguments for ${server} › ${tool.name}:\n${check.problems.map((p) => `  - ${p}`).join('\n')}`, {
        hint: `see the expected arguments with: mcpsh tools ${server} --schema`,
      });
    }
    const audit = openCallAudit(host.loaded.config.auditLog, io);
    const started = performance.now();
    const record = (outcome: CallOutcome): void => {
      audit?.record({ server, tool: tool.name, args, decision: 'allow', by: 'direct', outcome, durationMs: performance.now() - started });
      audit?.close();
    };
    let result;
    try {
      result = await connection.callTool(tool.name, args, {
        signal: io.signal,
        ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout * 1000 } : {}),
        ...(io.stderr.isTTY ? { onProgress: (p) => io.stderr.write(redact(progressLine(p))) } : {}),
      });
    } catch (err) {
      record(err instanceof AppError && err.code === 'CANCELLED' ? 'cancelled' : 'error');
      throw err;
    }
    record(result.isError ? 'error' : 'ok');
    // The result may quote the server's environment or headers: the config's secrets are masked.
    if (opts.json) {
      io.stdout.write(`${jsonText(redactValue(result), 2)}\n`);
    } else if (result.isError) {
      io.stderr.write(`mcpsh: ${server} › ${tool.name} reported an error:\n${redact(renderToolResult(result))}\n`);
    } else {
      const text = redact(renderToolResult(result));
      io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    }
    return result.isError ? 5 : 0;
  } finally {
    await host.close();
  }
}

/** `mcpsh call` writes one audit line per call when the config turns the audit log on. */
function openCallAudit(setting: RawConfig['auditLog'], io: Io): ClientAuditLog | undefined {
  const file = auditLogPath(setting, io.env, io.cwd);
  return file === undefined ? undefined : ClientAuditLog.open(file, 'call');
}

function findTool(connection: ServerConnection, name: string, nameOf: (server: string, tool: string) => string): Tool {
  const tool = connection.tools.find((t) => t.name === name) ?? connection.tools.find((t) => nameOf(connection.name, t.name) === name);
  if (tool) return tool;
  const skipped = connection.skippedTools.find((s) => s.tool === name);
  if (skipped)
    throw new AppError('TOOL_ERROR', `${connection.name} › ${name} cannot be called: ${skipped.reason}`, {
      hint: 'mcpsh left it out of the tool list; the server must send a simpler definition',
    });
  const names = connection.tools.map((t) => t.name);
  const close = closestMatch(name, names);
  throw new AppError('USAGE', `server ${connection.name} has no tool "${name}"${close ? ` (did you mean "${close}"?)` : ''}`, {
    hint: `list its tools with: mcpsh tools ${connection.name}`,
  });
}

/** Merges the JSON object (or stdin with `-`) with --arg key=value pairs, which win. */
async function buildArgs(jsonArgs: string | undefined, pairs: string[], tool: Tool, io: Io): Promise<Record<string, unknown>> {
  let base: Record<string, unknown> = {};
  if (jsonArgs !== undefined) {
    const text = jsonArgs === '-' ? await readAll(io.stdin) : jsonArgs;
    const source = jsonArgs === '-' ? 'stdin' : 'the arguments';
    base = parseArgsObject(text, source);
  }
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: unknown }>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new AppError('USAGE', `--arg expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    base[key] = properties[key]?.type === 'string' ? raw : parseLoose(raw);
  }
  return base;
}

function parseArgsObject(text: string, source: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AppError('USAGE', `${source} are not valid JSON: ${(err as Error).message}`, {
      hint: `pass a JSON object, e.g. '{"message": "hi"}', or use --arg key=value`,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AppError('USAGE', `${source} must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}

/** `--arg n=3` is the number 3 and `--arg ok=true` a boolean; anything that is not JSON stays a string. */
function parseLoose(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function progressLine(p: { progress: number; total?: number; message?: string }): string {
  const amount = p.total !== undefined ? `${p.progress}/${p.total}` : String(p.progress);
  return `progress ${amount}${p.message ? ` ${p.message}` : ''}\n`;
}
