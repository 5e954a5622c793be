// The client's audit log (config `auditLog`): one JSONL line per tool call with who decided it and how
// it ended. Fed by the agent's events (ask, the chat) or directly (`mcpsh call`). Arguments are only
// ever stored as a sha256 of their canonical JSON (src/policy/audit-log.ts), never as themselves.
import path from 'node:path';
import type { ApprovalBasis, ApprovalPort } from '../agent/approvals.js';
import type { AgentEvent } from '../agent/events.js';
import type { RawConfig } from '../config/schema.js';
import { appPaths } from '../paths.js';
import { AppendOnlyJsonl, hashArgs } from './audit-log.js';
import { redact } from './redact.js';

export type CallOutcome = 'ok' | 'error' | 'denied' | 'cancelled';

/** Who or what let a call run or stopped it: a rule, the readOnlyHint default, a person, --yes, or a direct `mcpsh call`. */
/** `unknown`: an approval port that did not say why (every port in mcpsh does). */
export type DecidedBy = ApprovalBasis['kind'] | 'direct' | 'none' | 'unknown';

/** One line of the log, as written. */
export interface ClientAuditEntry {
  time: string;
  /** Which mcpsh command made the call: ask, chat, call. */
  client: string;
  server: string;
  tool: string;
  argsSha256: string;
  /** allow or deny; `none` when the call never reached the permission check (unknown tool, invalid arguments). */
  decision: 'allow' | 'deny' | 'none';
  by: DecidedBy;
  /** The rule that decided, when one did. */
  rule?: string;
  outcome: CallOutcome;
  durationMs: number;
}

export interface AuditCall {
  server: string;
  tool: string;
  args: unknown;
  decision: ClientAuditEntry['decision'];
  by: DecidedBy;
  rule?: string;
  outcome: CallOutcome;
  durationMs: number;
}

/** The file `auditLog` names: `true` is audit.jsonl in the state dir; a string is a path (made absolute by the loader). */
export function auditLogPath(setting: RawConfig['auditLog'], env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (setting === undefined || setting === false) return undefined;
  if (setting === true) return path.join(appPaths(env).state, 'audit.jsonl');
  return path.resolve(cwd, setting);
}

/** The client's audit log: one line per tool call, on the shared append-only JSONL core. */
export class ClientAuditLog {
  private constructor(
    private readonly out: AppendOnlyJsonl,
    private readonly client: string,
    private readonly now: () => Date,
  ) {}

  get file(): string {
    return this.out.file;
  }

  static open(file: string, client: string, now: () => Date = () => new Date()): ClientAuditLog {
    const hint = 'set "auditLog" in the config to a writable file, or to true for the default in the state directory';
    return new ClientAuditLog(AppendOnlyJsonl.open(file, hint), client, now);
  }

  record(call: AuditCall): ClientAuditEntry {
    const entry: ClientAuditEntry = {
      time: this.now().toISOString(),
      client: this.client,
      server: call.server,
      tool: call.tool,
      argsSha256: hashArgs(call.args),
      decision: call.decision,
      by: call.by,
      ...(call.rule !== undefined ? { rule: call.rule } : {}),
      outcome: call.outcome,
      durationMs: Math.max(0, Math.round(call.durationMs)),
    };
    // Server and tool names come from config and servers; a secret in them must not reach the file either.
    if (!this.out.closed) this.out.write(redact(JSON.stringify(entry)));
    return entry;
  }

  close(): void {
    this.out.close();
  }
}

interface Pending {
  server: string;
  tool: string;
  args: unknown;
  started: number;
}

interface Decided {
  allow: boolean;
  by: ApprovalBasis | undefined;
  signal: AbortSignal;
}

/**
 * Turns a run's AgentEvents into audit lines. The approval port is wrapped so the line can say what
 * decided (the events carry only the outcome). Calls still open when the run ends are written as cancelled.
 */
export class AuditSubscriber {
  private readonly pending = new Map<string, Pending>();
  // Kept apart from `pending`: a session may ask for approval before its tool_call event reaches onEvent().
  private readonly decisions = new Map<string, Decided>();

  constructor(
    readonly log: ClientAuditLog,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The same port, with each decision remembered for the call's audit line. */
  approvals(port: ApprovalPort): ApprovalPort {
    return async (request, signal) => {
      const decision = await port(request, signal);
      this.decisions.set(request.callId, { allow: decision.allow, by: decision.by, signal });
      return decision;
    };
  }

  /** Feed every event of a run, in order. */
  onEvent(event: AgentEvent): void {
    switch (event.type) {
      case 'tool_call':
        this.pending.set(event.callId, { server: event.server, tool: event.tool, args: event.args, started: this.now() });
        break;
      case 'tool_denied':
        this.finish(event.callId, 'denied', this.now() - (this.pending.get(event.callId)?.started ?? this.now()));
        break;
      case 'tool_result': {
        // A result that arrives after the run was aborted is the cancellation reported as an error result.
        const outcome = this.decisions.get(event.callId)?.signal.aborted ? 'cancelled' : event.isError ? 'error' : 'ok';
        this.finish(event.callId, outcome, event.durationMs);
        break;
      }
      case 'done':
        for (const [callId, call] of [...this.pending]) this.finish(callId, 'cancelled', this.now() - call.started);
        break;
      case 'turn_start':
      case 'text_delta':
      case 'tool_progress':
      case 'notice':
      case 'usage':
        break;
    }
  }

  close(): void {
    this.log.close();
  }

  private finish(callId: string, outcome: CallOutcome, durationMs: number): void {
    const call = this.pending.get(callId);
    if (!call) return;
    this.pending.delete(callId);
    const d = this.decisions.get(callId);
    this.decisions.delete(callId);
    const by: DecidedBy = d ? (d.by?.kind ?? 'unknown') : 'none';
    this.log.record({
      server: call.server,
      tool: call.tool,
      args: call.args,
      decision: d ? (d.allow ? 'allow' : 'deny') : 'none',
      by,
      ...(d?.by?.kind === 'rule' ? { rule: d.by.rule } : {}),
      outcome,
      durationMs,
    });
  }
}

/** The subscriber for a run when the config turns the audit log on, else undefined. */
export function openAuditSubscriber(
  config: Pick<RawConfig, 'auditLog'>,
  client: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): AuditSubscriber | undefined {
  const file = auditLogPath(config.auditLog, env, cwd);
  return file === undefined ? undefined : new AuditSubscriber(ClientAuditLog.open(file, client));
}
