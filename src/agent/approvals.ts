// The approvals port: the agent asks "may this call run?" through an injected function, so the chat
// can show a prompt, `ask` can apply headless rules, and tests can answer with a script.
import type { ToolAnnotations } from '../mcp/types.js';
import { PermissionPolicy, type PermissionRules } from '../policy/permissions.js';

export interface ApprovalRequest {
  callId: string;
  /** The name the model called (`server__tool`, folded, maybe with a hash suffix); rules also match it exactly. */
  name: string;
  /** The real server and tool: what rules are matched against (see src/policy/permissions.ts). */
  server: string;
  tool: string;
  /** A tool mcpsh implements itself (the resource tool), not a server's. */
  builtin?: true;
  args: Record<string, unknown>;
  /** Hints from the server: shown to people, never trusted for security on their own. */
  annotations?: ToolAnnotations;
}

/** What decided a call, for the audit log: a rule, the readOnlyHint default, a person, --yes, or nothing matching. */
export type ApprovalBasis =
  { kind: 'rule'; rule: string } | { kind: 'readOnlyHint' } | { kind: 'user'; always?: boolean } | { kind: 'yes' } | { kind: 'default' };

export type ApprovalDecision = { allow: true; by?: ApprovalBasis } | { allow: false; reason: string; by?: ApprovalBasis };

export type ApprovalPort = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

export interface HeadlessOptions {
  rules: PermissionRules;
  /** `--yes`: an `ask` (or unmatched) tool is allowed; deny rules still deny. */
  yes: boolean;
  /** `permissions.autoAllowReadOnly`: an unmatched tool whose server marks it readOnlyHint is allowed. */
  autoAllowReadOnly?: boolean;
}

/** Approvals with nobody to ask (`mcpsh ask`): rules decide, and `ask` means deny unless --yes. */
export function headlessApprovals(options: HeadlessOptions): ApprovalPort {
  const policy = new PermissionPolicy(options.rules, { autoAllowReadOnly: options.autoAllowReadOnly === true });
  return (request) => {
    const match = policy.decide(request, request.annotations);
    const ruleBasis: ApprovalBasis = match.rule !== undefined ? { kind: 'rule', rule: match.rule } : { kind: 'default' };
    if (match.decision === 'allow') return Promise.resolve({ allow: true, by: match.readOnlyHint ? { kind: 'readOnlyHint' } : ruleBasis });
    if (match.decision === 'deny') {
      const by =
        match.managed !== undefined
          ? `the managed policy's rule "${match.rule}" (${match.managed})`
          : `the permission rule "${match.rule}"`;
      return Promise.resolve({ allow: false, reason: `denied by ${by}`, by: ruleBasis });
    }
    // A managed policy's ask needs a person: --yes does not answer it (src/policy/permissions.ts).
    if (match.managed !== undefined) {
      return Promise.resolve({
        allow: false,
        reason: `the managed policy's rule "${match.rule}" (${match.managed}) says a person must approve it, and there is nobody to ask in a non-interactive run (--yes does not answer it)`,
        by: ruleBasis,
      });
    }
    if (options.yes) return Promise.resolve({ allow: true, by: { kind: 'yes' } });
    const why = match.rule ? `the rule "${match.rule}" says ask` : 'no permission rule allows it';
    return Promise.resolve({
      allow: false,
      reason: `${why}, and there is nobody to ask in a non-interactive run (allow it with --allow '${request.name}', a permissions.allow rule, or --yes)`,
      by: ruleBasis,
    });
  };
}
