// `mcpsh logs [server]`: where mcpsh writes what it records (debug logs, each server's stderr, the audit
// log, the chat's history), or the end of one server's stderr log, with the config's secrets masked.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { GlobalOptions } from '../options.js';
import { loadConfig } from '../config/load.js';
import { projectTrustGate } from '../config/trust.js';
import { debugLog } from '../debug-log.js';
import { AppError, errorMessage } from '../errors.js';
import { tail } from '../files/tail.js';
import { writeLine, type Io } from '../io.js';
import { appPaths } from '../paths.js';
import { auditLogPath } from '../policy/audit-events.js';
import { addSecrets, redact } from '../policy/redact.js';
import { closestMatch } from '../suggest.js';
import { jsonText } from '../output/safe-text.js';
import { textIo } from '../output/terminal-io.js';

export interface LogsOptions extends GlobalOptions {
  lines?: number;
  json?: boolean;
}

const DEFAULT_LINES = 50;

interface Place {
  path: string;
  exists: boolean;
  files?: Array<{ name: string; bytes: number }>;
  note?: string;
}

export async function runLogs(server: string | undefined, opts: LogsOptions, rawIo: Io): Promise<number> {
  // Everything printed below (and by openHost) passes the output boundary: see src/output/terminal-io.ts.
  const io = textIo(rawIo);
  const state = appPaths(io.env).state;
  const config = await readConfig(opts, io);
  if (server !== undefined) return printTail(path.join(state, 'logs'), server, opts.lines ?? DEFAULT_LINES, io);

  const audit = config.auditFile;
  const places: Record<string, Place> = {
    debug: {
      ...directory(path.join(state, 'debug')),
      note: debugLog.file ? `this run writes ${debugLog.file}` : 'written with --debug or MCPSH_DEBUG=1, one file per run',
    },
    servers: { ...directory(path.join(state, 'logs')), note: "each stdio server's stderr, appended as <server>.log" },
    audit: audit
      ? { path: audit, exists: existsSync(audit), note: 'on ("auditLog" in the config)' }
      : {
          path: path.join(state, 'audit.jsonl'),
          exists: existsSync(path.join(state, 'audit.jsonl')),
          note: config.problem ?? 'off; set "auditLog": true in the config to write it',
        },
    history: {
      path: path.join(state, 'history.jsonl'),
      exists: existsSync(path.join(state, 'history.jsonl')),
      note: "the chat's prompt history",
    },
    chats: { ...directory(path.join(state, 'sessions')), note: 'saved chats, one JSONL per chat; continue one with mcpsh --resume <id>' },
  };
  if (opts.json) {
    writeLine(io.stdout, jsonText(places, 2));
    return 0;
  }
  const lines: string[] = [];
  for (const [name, place] of Object.entries(places)) {
    lines.push(`${name.padEnd(8)} ${place.path}${place.exists ? '' : ' (none yet)'}`);
    if (place.note) lines.push(`${' '.repeat(9)}${place.note}`);
    for (const f of place.files?.slice(-10) ?? []) lines.push(`${' '.repeat(11)}${f.name}  ${formatBytes(f.bytes)}`);
    if ((place.files?.length ?? 0) > 10) lines.push(`${' '.repeat(11)}… and ${(place.files?.length ?? 0) - 10} older`);
  }
  lines.push('', "Show the end of one server's log with: mcpsh logs <server> [--lines N]");
  io.stdout.write(redact(`${lines.join('\n')}\n`));
  return 0;
}

/** The audit log the config turns on, if any; a config that cannot load does not stop `logs`. */
async function readConfig(opts: LogsOptions, io: Io): Promise<{ auditFile?: string; problem?: string }> {
  try {
    const trustGate = projectTrustGate({ trust: opts.trust, configPath: opts.config }, io.env);
    const loaded = await loadConfig({
      cwd: io.cwd,
      env: io.env,
      ...(opts.config ? { configPath: opts.config } : {}),
      ...(trustGate ? { trustGate } : {}),
    });
    addSecrets(loaded.secrets);
    const file = auditLogPath(loaded.config.auditLog, io.env, io.cwd);
    return file ? { auditFile: file } : {};
  } catch (err) {
    return { problem: `unknown: the config could not be read (${errorMessage(err).split('\n')[0] ?? ''})` };
  }
}

function directory(dir: string): Place {
  if (!existsSync(dir)) return { path: dir, exists: false };
  const files = readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .map((name) => ({ name, bytes: statSync(path.join(dir, name)).size, mtime: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => a.mtime - b.mtime)
    .map(({ name, bytes }) => ({ name, bytes }));
  return { path: dir, exists: true, files };
}

function printTail(dir: string, server: string, lines: number, io: Io): number {
  if (server.includes('/') || server.includes('\\')) throw new AppError('USAGE', `"${server}" is not a server name`);
  const file = path.join(dir, `${server}.log`);
  if (!existsSync(file)) {
    const known = existsSync(dir)
      ? readdirSync(dir)
          .filter((n) => n.endsWith('.log'))
          .map((n) => n.slice(0, -4))
      : [];
    const close = closestMatch(server, known);
    throw new AppError('USAGE', `no log for server "${server}" at ${file}${close ? ` (did you mean "${close}"?)` : ''}`, {
      hint: known.length > 0 ? `servers with logs: ${known.join(', ')}` : 'a stdio server gets a log the first time it starts',
    });
  }
  const text = tail(file, lines);
  io.stdout.write(redact(text.endsWith('\n') || text === '' ? text : `${text}\n`));
  return 0;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
