// Permission rules: allow / ask / deny lists of `<server>__<tool>` globs. Deny wins over ask, ask over allow; a
// tool no rule names is `ask` (or `allow` when autoAllowReadOnly is on and the server marks it readOnlyHint: a
// hint, so it never beats a rule). Rules are matched on the real server and tool, never on the folded name
// the model sees alone: a rule splits at its first `__` into a server part and a tool part, so `notes__*`
// cannot reach another server, and `deny db__execute` still denies when folding gave the tool a hash suffix.
// Rules of the administrator's managed policy (issue 17) come first and cannot be loosened: a managed deny
// beats every allow (user, project, --allow); a managed ask beats every allow too, and RuleMatch.managed tells
// `ask` that --yes may not answer it (a person must). A managed allow is an ordinary allow: any deny or ask
// rule still tightens it.
import type { ToolAnnotations } from '../mcp/types.js';
import picomatch from 'picomatch';
import { sanitizeNamePart, serverNameKey } from '../config/name-fold.js';

const SEPARATOR = '__';

export type Decision = 'allow' | 'ask' | 'deny';

export interface PermissionRules {
  allow: readonly string[];
  ask: readonly string[];
  deny: readonly string[];
  /** The managed policy's rules, checked before all others (see the top of this file). */
  managed?: ManagedPermissionRules;
}

export interface RuleMatch {
  decision: Decision;
  /** The pattern that decided, or undefined when no rule matched (the default). */
  rule: string | undefined;
  /** Set when the rule is the managed policy's: the policy file. */
  managed?: string;
  /** Set when no rule matched and the tool was allowed for its readOnlyHint (autoAllowReadOnly). */
  readOnlyHint?: true;
}

export interface PolicyOptions {
  /** `permissions.autoAllowReadOnly`: a tool no rule names is allowed when its annotations say readOnlyHint. */
  autoAllowReadOnly?: boolean;
}

/** The managed policy's rules (src/config/load.ts puts them in the merged config as permissions.managed). */
export interface ManagedPermissionRules extends PermissionRules {
  /** The policy file, named in denials. */
  file: string;
}

/** A rule set as mergeRules takes it: a config's `permissions` (which may carry `managed`) or plain lists. */
export type RuleSource = { [K in 'allow' | 'ask' | 'deny']?: PermissionRules[K] | undefined } & { managed?: unknown };

export function mergeRules(...sets: ReadonlyArray<RuleSource | undefined>): PermissionRules {
  const managed = sets.map((s) => s?.managed).find(isManagedRules);
  return {
    allow: sets.flatMap((s) => s?.allow ?? []),
    ask: sets.flatMap((s) => s?.ask ?? []),
    deny: sets.flatMap((s) => s?.deny ?? []),
    ...(managed ? { managed } : {}),
  };
}

function isManagedRules(v: unknown): v is ManagedPermissionRules {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const list = (x: unknown): boolean => Array.isArray(x) && x.every((e) => typeof e === 'string');
  return typeof r.file === 'string' && list(r.allow) && list(r.ask) && list(r.deny);
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
  private readonly compiled: Array<{ decision: Decision; pattern: string; test: Matcher; managed?: string }>;

  private readonly autoAllowReadOnly: boolean;

  constructor(rules: PermissionRules, options: PolicyOptions = {}) {
    this.autoAllowReadOnly = options.autoAllowReadOnly === true;
    const m = rules.managed;
    const tier = (decision: Decision, patterns: readonly string[], managed?: string): PermissionPolicy['compiled'] =>
      patterns.map((pattern) => ({ decision, pattern, test: compileRule(pattern), ...(managed !== undefined ? { managed } : {}) }));
    // Managed deny, then managed ask, ahead of every other rule; a managed allow is only one more allow.
    this.compiled = [
      ...tier('deny', m?.deny ?? [], m?.file),
      ...tier('ask', m?.ask ?? [], m?.file),
      ...tier('deny', rules.deny),
      ...tier('ask', rules.ask),
      ...tier('allow', rules.allow),
      ...tier('allow', m?.allow ?? [], m?.file),
    ];
  }

  /** Annotations come from the server, so they only ever fill in for a missing rule. */
  decide(target: RuleTarget, annotations?: ToolAnnotations): RuleMatch {
    for (const rule of this.compiled) {
      if (rule.test(target))
        return { decision: rule.decision, rule: rule.pattern, ...(rule.managed !== undefined ? { managed: rule.managed } : {}) };
    }
    if (this.autoAllowReadOnly && annotations?.readOnlyHint === true) return { decision: 'allow', rule: undefined, readOnlyHint: true };
    return { decision: 'ask', rule: undefined };
  }
}
