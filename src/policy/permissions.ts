// Permission rules: allow / ask / deny lists of `<server>__<tool>` globs. Deny wins over ask, ask over allow; a
// tool no rule names is `ask` (or `allow` when autoAllowReadOnly is on and the server marks it readOnlyHint: a
// hint, so it never beats a rule). Rules are matched on the real server and tool, never on the folded name
// the model sees alone: a rule splits at its first `__` into a server part and a tool part, so `notes__*`
// cannot reach another server, and `deny db__execute` still denies when folding gave the tool a hash suffix.
import type { ToolAnnotations } from '../mcp/types.js';
import picomatch from 'picomatch';
import { sanitizeNamePart, serverNameKey } from '../config/name-fold.js';

const SEPARATOR = '__';

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

/** What a rule is matched against: the real identity of a tool, plus the name the model saw. */
export interface RuleTarget {
  /** The model-facing name: `<server>__<tool>`, folded and maybe with a hash suffix, or a built-in tool's name. */
  name: string;
  /** The server's name as configured. */
  server: string;
  /** The tool's name as its server lists it. */
  tool: string;
  /** A tool mcpsh implements itself (mcpsh_read_resource): only rules without `__` can name it. */
  builtin?: boolean;
}

type Matcher = (target: RuleTarget) => boolean;

/**
 * One rule as a test on a tool. `<server>__<tool>` (split at the first `__`; a server name never holds `__`):
 * the server part matches the configured name, case-insensitively, as a glob or through the same fold the
 * config uses to keep server names apart; the tool part matches the tool's real name or its folded form. A
 * rule that is exactly a model-facing name (hash suffix and all) matches that tool. A rule without `__` is
 * one glob on the whole name (`*`, `mcpsh_read_resource`).
 */
export function compileRule(pattern: string): Matcher {
  const at = pattern.indexOf(SEPARATOR);
  if (at < 0) {
    if (pattern === '') return () => false;
    const whole = picomatch(pattern, { dot: true });
    return (t) => whole(t.name) || (t.builtin !== true && whole(`${t.server}${SEPARATOR}${t.tool}`));
  }
  const server = serverPart(pattern.slice(0, at));
  const tool = toolPart(pattern.slice(at + SEPARATOR.length));
  return (t) => t.name === pattern || (t.builtin !== true && server(t.server) && tool(t.tool));
}

function serverPart(part: string): (server: string) => boolean {
  if (part === '') return () => false;
  const glob = picomatch(part, { dot: true, nocase: true });
  // Config load refuses two servers with one key, so a key match can only ever name one server.
  const key = picomatch.scan(part).isGlob ? undefined : serverNameKey(part);
  return (server) => glob(server) || glob(sanitizeNamePart(server)) || (key !== undefined && key === serverNameKey(server));
}

function toolPart(part: string): (tool: string) => boolean {
  if (part === '') return () => false;
  const glob = picomatch(part, { dot: true });
  return (tool) => glob(tool) || glob(sanitizeNamePart(tool));
}

export class PermissionPolicy {
  private readonly compiled: Array<{ decision: Decision; pattern: string; test: Matcher }>;

  private readonly autoAllowReadOnly: boolean;

  constructor(rules: PermissionRules, options: PolicyOptions = {}) {
    this.autoAllowReadOnly = options.autoAllowReadOnly === true;
    const order: Decision[] = ['deny', 'ask', 'allow'];
    this.compiled = order.flatMap((decision) => rules[decision].map((pattern) => ({ decision, pattern, test: compileRule(pattern) })));
  }

  /** Annotations come from the server, so they only ever fill in for a missing rule. */
  decide(target: RuleTarget, annotations?: ToolAnnotations): RuleMatch {
    for (const rule of this.compiled) {
      if (rule.test(target)) return { decision: rule.decision, rule: rule.pattern };
    }
    if (this.autoAllowReadOnly && annotations?.readOnlyHint === true) return { decision: 'allow', rule: undefined, readOnlyHint: true };
    return { decision: 'ask', rule: undefined };
  }
}
