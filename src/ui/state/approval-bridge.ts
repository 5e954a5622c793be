// Connects the agent's approval port to the chat's dialog: which request is on screen, the person's
// answer, and transcript actions that mark calls as waiting (queued ones too) until they are decided.
import type { ApprovalPort, ApprovalRequest } from '../../agent/approvals.js';
import { interactiveApprovals, type ApprovalChoice, type SessionAllowances } from '../../agent/interactive-approvals.js';
import type { PermissionRules } from '../../policy/permissions.js';
import type { TranscriptAction } from './transcript.js';

export interface ApprovalBridgeOptions {
  rules: PermissionRules;
  allowances: SessionAllowances;
  autoAllowReadOnly: boolean;
  /** The request to show (undefined: close the dialog). */
  show: (request: ApprovalRequest | undefined) => void;
  dispatch: (action: TranscriptAction) => void;
  /** Persists an "always allow" answer. */
  saveRule?: (toolName: string) => void;
}

export class ApprovalBridge {
  private pending: { request: ApprovalRequest; settle: (choice: ApprovalChoice) => void } | undefined;

  constructor(private readonly options: ApprovalBridgeOptions) {}

  /** The dialog's answer to the request on screen. */
  answer(choice: ApprovalChoice): void {
    this.pending?.settle(choice);
  }

  /** A port for one session: the transcript marks calls waiting for a person until they are decided. */
  port(): ApprovalPort {
    const { rules, allowances, autoAllowReadOnly, dispatch, saveRule } = this.options;
    const waiting = new Set<string>();
    const port = interactiveApprovals({
      rules,
      ask: this.ask,
      allowances,
      ...(autoAllowReadOnly ? { autoAllowReadOnly: true } : {}),
      ...(saveRule ? { saveRule } : {}),
      onWaiting: (request) => {
        waiting.add(request.callId);
        dispatch({ type: 'approval_requested', callId: request.callId });
      },
    });
    return async (request, signal) => {
      const decision = await port(request, signal);
      if (waiting.delete(request.callId))
        dispatch({ type: 'approval_resolved', callId: request.callId, allowed: decision.allow, at: Date.now() });
      return decision;
    };
  }

  private readonly ask = (request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalChoice> =>
    new Promise<ApprovalChoice>((resolve) => {
      const settle = (choice: ApprovalChoice): void => {
        signal.removeEventListener('abort', onAbort);
        if (this.pending?.request !== request) return;
        this.pending = undefined;
        this.options.show(undefined);
        resolve(choice);
      };
      // A cancelled turn closes its dialog.
      const onAbort = (): void => settle({ kind: 'deny', reason: 'cancelled' });
      this.pending = { request, settle };
      signal.addEventListener('abort', onAbort, { once: true });
      this.options.show(request);
    });
}
