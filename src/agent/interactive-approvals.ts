// Approvals with a person to ask (the chat): the permission rules decide first, then what the person
// already allowed for this session, and only then a prompt, one at a time, through an injected `ask`.
import { PermissionPolicy, type PermissionRules } from '../policy/permissions.js';
import type { ApprovalPort, ApprovalRequest } from './approvals.js';

/** What a person can answer to one approval prompt. */
export type ApprovalChoice =
  | { kind: 'allow_once' }
  | { kind: 'allow_tool' }
  | { kind: 'allow_server' }
  /** Allowed for this session and saved as a permissions.allow rule in the user's config. */
  | { kind: 'allow_always' }
  | { kind: 'deny'; reason?: string };

/** Shows the prompt and resolves with the answer; on `signal` abort it may resolve or never settle. */
export type AskPerson = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalChoice>;

/** Tools and servers a person allowed "for this session"; kept outside the port so the chat can list or reset them. */
export class SessionAllowances {
  private readonly tools = new Set<string>();
  private readonly servers = new Set<string>();

  allowTool(name: string): void {
    this.tools.add(name);
  }

  allowServer(server: string): void {
    this.servers.add(server);
  }

  allows(request: Pick<ApprovalRequest, 'name' | 'server'>): boolean {
    return this.tools.has(request.name) || this.servers.has(request.server);
  }

  list(): { tools: string[]; servers: string[] } {
    return { tools: [...this.tools], servers: [...this.servers] };
  }

  clear(): void {
    this.tools.clear();
    this.servers.clear();
  }
}

export interface InteractiveOptions {
  rules: PermissionRules;
  ask: AskPerson;
  allowances?: SessionAllowances;
  /** permissions.autoAllowReadOnly: a tool no rule names that the server marks read-only runs without asking. */
  autoAllowReadOnly?: boolean;
  /** Called as soon as a call needs a person, even while it waits behind another prompt (so a UI can say so). */
  onWaiting?: (request: ApprovalRequest) => void;
  /** Persists an "always allow" answer (the chat writes it to the user config). */
  saveRule?: (toolName: string) => void;
}

const CANCELLED = 'cancelled';
const ALREADY_ALLOWED = 'already-allowed';

export function interactiveApprovals(options: InteractiveOptions): ApprovalPort {
  const policy = new PermissionPolicy(options.rules, { autoAllowReadOnly: options.autoAllowReadOnly === true });
  const allowances = options.allowances ?? new SessionAllowances();
  // Parallel tool calls ask one after another: one dialog at a time, and an answer such as
  // "allow this server" also settles the calls still waiting behind it.
  let queue: Promise<unknown> = Promise.resolve();

  return async (request, signal) => {
    const match = policy.decide(request, request.annotations);
    if (match.decision === 'allow')
      return { allow: true, by: match.rule !== undefined ? { kind: 'rule', rule: match.rule } : { kind: 'readOnlyHint' } };
    if (match.decision === 'deny')
      return { allow: false, reason: `denied by the permission rule "${match.rule}"`, by: { kind: 'rule', rule: match.rule ?? '' } };

    if (!allowances.allows(request)) options.onWaiting?.(request);
    const turn = queue.then(async () => {
      if (signal.aborted) return CANCELLED;
      if (allowances.allows(request)) return ALREADY_ALLOWED;
      return askUntilAborted(options.ask, request, signal);
    });
    queue = turn.catch(() => undefined);
    const choice = await turn;
    if (choice === CANCELLED) return { allow: false, reason: 'the run was cancelled before anyone answered', by: { kind: 'user' } };
    if (choice === ALREADY_ALLOWED) return { allow: true, by: { kind: 'user', always: true } };
    switch (choice.kind) {
      case 'allow_once':
        return { allow: true, by: { kind: 'user' } };
      case 'allow_tool':
        allowances.allowTool(request.name);
        return { allow: true, by: { kind: 'user', always: true } };
      case 'allow_server':
        allowances.allowServer(request.server);
        return { allow: true, by: { kind: 'user', always: true } };
      case 'allow_always':
        allowances.allowTool(request.name);
        options.saveRule?.(request.name);
        return { allow: true, by: { kind: 'user', always: true } };
      case 'deny': {
        const reason = choice.reason?.trim();
        return { allow: false, reason: reason ? `the user denied it: ${reason}` : 'the user denied it', by: { kind: 'user' } };
      }
    }
  };
}

/** The person's answer, or a denial as soon as the run is cancelled (a prompt nobody answers must not hold the queue). */
function askUntilAborted(ask: AskPerson, request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalChoice | typeof CANCELLED> {
  return new Promise<ApprovalChoice | typeof CANCELLED>((resolve, reject) => {
    const onAbort = (): void => resolve(CANCELLED);
    signal.addEventListener('abort', onAbort, { once: true });
    ask(request, signal).then(
      (choice) => {
        signal.removeEventListener('abort', onAbort);
        resolve(choice);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
