// The `hooks` config section, in Claude Code's shape so hook scripts carry over: per event a list of
// matcher groups, each with shell commands. Run by src/hooks; only sets from trusted files ever run.
import { z } from 'zod';

/** The events mcpsh runs hooks for (a subset of Claude Code's). */
export const HOOK_EVENTS = ['PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'SessionStart', 'Stop'] as const;
export type HookEventName = (typeof HOOK_EVENTS)[number];

/** Seconds a hook command may run when its entry gives no timeout (Claude Code's default too). */
export const DEFAULT_HOOK_TIMEOUT_S = 60;

export const HookCommandSchema = z.strictObject({
  type: z.literal('command').describe('The only kind mcpsh runs: a shell command.'),
  command: z
    .string()
    .min(1)
    .describe('Run with sh -c in the project directory, the event as JSON on stdin. Not interpolated: the shell expands $VARS itself.'),
  timeout: z
    .number()
    .positive()
    .max(3600)
    .optional()
    .describe(`Seconds before the command (its whole process group) is killed (default ${DEFAULT_HOOK_TIMEOUT_S}).`),
});

export const HookMatcherGroupSchema = z.strictObject({
  matcher: z
    .string()
    .optional()
    .refine(
      (m) => m === undefined || isMatcher(m.trim()),
      'not a valid regular expression (nor a name, a list of names joined by |, or a glob)',
    )
    .describe(
      'Which tools (PreToolUse, PostToolUse): absent, "" or "*" all; names of letters, digits, _ and - (several joined by |) exactly; a glob with * or ?; anything else a regular expression. Tested against `server__tool` and `mcp__server__tool`. Ignored by the other events.',
    ),
  hooks: z.array(HookCommandSchema).describe('Commands run, at the same time, when the matcher matches.'),
});

/** Names, lists and globs (letters, digits, _ - | * ? and spaces) always work; anything else must be a regular expression. */
function isMatcher(m: string): boolean {
  if (/^[\w|*? -]*$/.test(m)) return true;
  try {
    new RegExp(m);
    return true;
  } catch {
    return false;
  }
}

const groups = z.array(HookMatcherGroupSchema).optional();

export const HooksSchema = z
  .strictObject({
    PreToolUse: groups.describe(
      'Before a tool call (after its arguments are checked, before permission rules): exit 2 or {"decision":"block"} stops the call.',
    ),
    PostToolUse: groups.describe(
      'After a tool returned a result: exit 2 or {"decision":"block"} gives the reason to the model with the result.',
    ),
    UserPromptSubmit: groups.describe(
      'Before a prompt is sent: exit 2 or {"decision":"block"} stops it; stdout on exit 0 is added as context.',
    ),
    SessionStart: groups.describe('Once, when a session starts: stdout on exit 0 is added to the system prompt as context.'),
    Stop: groups.describe(
      'When the model has finished answering: exit 2 or {"decision":"block"} feeds the reason back and the model goes on (at most 3 times a run).',
    ),
  })
  .describe("Shell commands run around tool calls, prompts and answers, in Claude Code's hook format (docs/configuration.md#hooks).");

export type HooksConfig = z.infer<typeof HooksSchema>;

/** Hooks from one place: managed policy first, then the user file, then the project file. */
export interface HookSet {
  /** The file they come from, for messages. */
  source: string;
  scope: 'managed' | 'user' | 'project';
  hooks: HooksConfig;
}

/** One file's validated `hooks` as a set, or undefined when it has none. */
export function hookSetOf(rest: Record<string, unknown>, source: { path: string; scope: 'user' | 'project' }): HookSet | undefined {
  const parsed = HooksSchema.safeParse(rest.hooks);
  if (rest.hooks === undefined || !parsed.success) return undefined;
  return { source: source.path, scope: source.scope, hooks: parsed.data };
}

/** Each hook command of a raw (unvalidated) `hooks` section, for the trust review: what trusting the file would run. */
export function hookCommandsForReview(raw: unknown): { name: string; value: string }[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const out: { name: string; value: string }[] = [];
  for (const [event, list] of Object.entries(raw)) {
    if (!Array.isArray(list)) continue;
    for (const group of list as unknown[]) {
      const g = typeof group === 'object' && group !== null ? (group as { matcher?: unknown; hooks?: unknown }) : {};
      const matcher = typeof g.matcher === 'string' && g.matcher !== '' && g.matcher !== '*' ? ` for tools matching "${g.matcher}"` : '';
      for (const hook of Array.isArray(g.hooks) ? (g.hooks as unknown[]) : []) {
        const command = typeof hook === 'object' && hook !== null ? (hook as { command?: unknown }).command : undefined;
        if (typeof command === 'string') out.push({ name: `hooks.${event} (a shell command run${matcher})`, value: command });
      }
    }
  }
  return out;
}
