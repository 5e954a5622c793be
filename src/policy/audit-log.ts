// Append-only JSONL audit log of tool calls: who called what, when, with which outcome, and a hash of the
// arguments (never the arguments themselves, which may hold personal data or secrets). Shared by servers and client.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, errorMessage } from '../errors.js';

export type AuditOutcome = 'ok' | 'error' | 'denied';

/** One line of the log, exactly as written. */
export interface AuditEntry {
  time: string;
  client: string;
  server?: string;
  tool: string;
  argsSha256: string;
  outcome: AuditOutcome;
  durationMs: number;
  /** A fixed, argument-free reason: why a call was denied (the missing scope) or did not finish. Never echoes arguments. */
  reason?: string;
}

export interface AuditRecord {
  client: string;
  server?: string;
  tool: string;
  /** Hashed with canonicalJson + sha256 before anything is written. */
  args: unknown;
  outcome: AuditOutcome;
  durationMs: number;
  reason?: string;
}

export interface AuditLogOptions {
  /** Defaults to () => new Date(). */
  now?: () => Date;
}

/**
 * JSON with object keys sorted at every depth and no whitespace, so equal arguments hash equally whatever
 * order a client sent them in. Values JSON cannot hold follow JSON.stringify (undefined members dropped,
 * non-finite numbers as null).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const toJson = (source as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') return sortKeys((toJson as () => unknown).call(source));
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) sorted[key] = sortKeys(source[key]);
    return sorted;
  }
  return value;
}

/** sha256 (hex) of the canonical JSON of a tool call's arguments; absent arguments hash as {}. */
export function hashArgs(args: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(args ?? {}))
    .digest('hex');
}

/** One JSON object per line, appended synchronously to a 0600 file: the shared core of the audit logs. */
export class AppendOnlyJsonl {
  private fd: number | null;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens (creating if needed) for appending; earlier lines are never touched. */
  static open(file: string, hint: string): AppendOnlyJsonl {
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      return new AppendOnlyJsonl(file, openSync(file, 'a', 0o600));
    } catch (err) {
      throw new AppError('CONFIG', `cannot open the audit log ${file}: ${errorMessage(err)}`, { hint, cause: err });
    }
  }

  /**
   * One write per line: a line is on disk before the caller answers the request it describes, and
   * concurrent writers never interleave a line.
   */
  write(line: string): void {
    if (this.fd === null) throw new Error(`audit log ${this.file} is closed`);
    writeSync(this.fd, `${line}\n`);
  }

  get closed(): boolean {
    return this.fd === null;
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }
}

export class AuditLog {
  private readonly now: () => Date;

  private constructor(
    private readonly out: AppendOnlyJsonl,
    options: AuditLogOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  get file(): string {
    return this.out.file;
  }

  static open(file: string, options: AuditLogOptions = {}): AuditLog {
    return new AuditLog(AppendOnlyJsonl.open(file, 'choose a writable file with --audit-log FILE'), options);
  }

  record(record: AuditRecord): AuditEntry {
    const entry: AuditEntry = {
      time: this.now().toISOString(),
      client: record.client,
      ...(record.server === undefined ? {} : { server: record.server }),
      tool: record.tool,
      argsSha256: hashArgs(record.args),
      outcome: record.outcome,
      durationMs: Math.max(0, Math.round(record.durationMs)),
      ...(record.reason === undefined ? {} : { reason: record.reason }),
    };
    this.out.write(JSON.stringify(entry));
    return entry;
  }

  close(): void {
    this.out.close();
  }
}
