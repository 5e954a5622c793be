// Permission rules: allow / ask / deny lists of globs on the namespaced tool name (`server__tool`,
// `server__*`). Deny wins over ask, ask over allow; a tool no rule names is `ask` (or `allow` when
// autoAllowReadOnly is on and the server marks it readOnlyHint: a hint, so it never beats a rule).
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import picomatch from 'picomatch';

export type Decision = 'allow' | 'ask' | 'deny';

export interface PermissionRules {
  allow: readonly string[];
  ask: readonly string[];
  deny: readonly string[];
}

export interface RuleMatch {
  decision: Decision;
  /** The pattern that decided, or undefined when no rule matched (the default). */
  rule: string | undefined;
  /** Set when no rule matched and the tool was allowed for its readOnlyHint (autoAllowReadOnly). */
  readOnlyHint?: true;
}

export interface PolicyOptions {
  /** `permissions.autoAllowReadOnly`: a tool no rule names is allowed when its annotations say readOnlyHint. */
  autoAllowReadOnly?: boolean;
}

export const NO_RULES: PermissionRules = { allow: [], ask: [], deny: [] };

export function mergeRules(...sets: ReadonlyArray<Partial<PermissionRules> | undefined>): PermissionRules {
  return {
    allow: sets.flatMap((s) => s?.allow ?? []),
    ask: sets.flatMap((s) => s?.ask ?? []),
    deny: sets.flatMap((s) => s?.deny ?? []),
  };
}

export class PermissionPolicy {
  private readonly compiled: Array<{ decision: Decision; pattern: string; test: (name: string) => boolean }>;

  private readonly autoAllowReadOnly: boolean;

  constructor(rules: PermissionRules, options: PolicyOptions = {}) {
    this.autoAllowReadOnly = options.autoAllowReadOnly === true;
    const order: Decision[] = ['deny', 'ask', 'allow'];
    this.compiled = order.flatMap((decision) =>
      rules[decision].map((pattern) => ({ decision, pattern, test: picomatch(pattern, { nocase: false, dot: true }) })),
    );
  }

  /** Annotations come from the server, so they only ever fill in for a missing rule. */
  decide(toolName: string, annotations?: ToolAnnotations): RuleMatch {
    for (const rule of this.compiled) {
      if (rule.test(toolName)) return { decision: rule.decision, rule: rule.pattern };
    }
    if (this.autoAllowReadOnly && annotations?.readOnlyHint === true) return { decision: 'allow', rule: undefined, readOnlyHint: true };
    return { decision: 'ask', rule: undefined };
  }
}
