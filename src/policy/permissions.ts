// Permission rules: allow / ask / deny lists of globs on the namespaced tool name (`server__tool`,
// `server__*`). Deny wins over ask, ask over allow; a tool no rule names is `ask`.
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

  constructor(rules: PermissionRules) {
    const order: Decision[] = ['deny', 'ask', 'allow'];
    this.compiled = order.flatMap((decision) =>
      rules[decision].map((pattern) => ({ decision, pattern, test: picomatch(pattern, { nocase: false, dot: true }) })),
    );
  }

  decide(toolName: string): RuleMatch {
    for (const rule of this.compiled) {
      if (rule.test(toolName)) return { decision: rule.decision, rule: rule.pattern };
    }
    return { decision: 'ask', rule: undefined };
  }
}
