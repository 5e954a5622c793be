// The approvals port: the agent asks "may this call run?" through an injected function, so the chat
// can show a prompt, `ask` can apply headless rules, and tests can answer with a script.
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { PermissionPolicy, type PermissionRules } from '../policy/permissions.js';

export interface ApprovalRequest {
  callId: string;
  /** The namespaced name (`server__tool`) rules are written against. */
  name: string;
  server: string;
  tool: string;
  args: Record<string, unknown>;
  /** Hints from the server: shown to people, never trusted for security on their own. */
  annotations?: ToolAnnotations;
}

export type ApprovalDecision = { allow: true } | { allow: false; reason: string };

export type ApprovalPort = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

export interface HeadlessOptions {
  rules: PermissionRules;
  /** `--yes`: an `ask` (or unmatched) tool is allowed; deny rules still deny. */
  yes: boolean;
}

/** Approvals with nobody to ask (`mcpsh ask`): rules decide, and `ask` means deny unless --yes. */
export function headlessApprovals(options: HeadlessOptions): ApprovalPort {
  const policy = new PermissionPolicy(options.rules);
  return (request) => {
    const match = policy.decide(request.name);
    if (match.decision === 'allow') return Promise.resolve({ allow: true });
    if (match.decision === 'deny') {
      return Promise.resolve({ allow: false, reason: `denied by the permission rule "${match.rule}"` });
    }
    if (options.yes) return Promise.resolve({ allow: true });
    const why = match.rule ? `the rule "${match.rule}" says ask` : 'no permission rule allows it';
    return Promise.resolve({
      allow: false,
      reason: `${why}, and there is nobody to ask in a non-interactive run (allow it with --allow '${request.name}', a permissions.allow rule, or --yes)`,
    });
  };
}
