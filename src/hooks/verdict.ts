// What one hook run means, read as Claude Code reads it: exit 0 goes on (its stdout JSON may decide), exit 2
// blocks with stderr as the reason, any other end is an error that is noted and otherwise ignored.
import type { HookEventName } from '../config/hooks-schema.js';
import type { CommandRun } from './run-command.js';

/** Longest reason or context given to the model from one hook (Claude Code's cap on added context too). */
export const MAX_HOOK_TEXT = 10_000;

export interface HookVerdict {
  /** The hook blocks: the call, the prompt, the result is flagged, or the model must go on (Stop). */
  block?: string;
  /** PreToolUse said allow/approve: recorded only, the permission rules still decide. */
  allow?: string;
  /** Text for the model: SessionStart and UserPromptSubmit stdout, or hookSpecificOutput.additionalContext. */
  context?: string;
  /** The hook failed (timeout, crash, an exit code other than 0 and 2): noted, the run goes on. */
  error?: string;
  /** Claude Code's systemMessage: shown to the user. */
  message?: string;
}

export function verdictOf(event: HookEventName, run: CommandRun, timeoutS: number): HookVerdict {
  if (run.cancelled) return {};
  if (run.spawnError !== undefined) return { error: `could not be started: ${run.spawnError}` };
  if (run.timedOut) return { error: `did not finish within ${timeoutS}s and was stopped` };
  if (run.code === 2) {
    const reason = cap(run.stderr.trim()) || 'a hook blocked this (exit code 2, nothing on stderr)';
    // Nothing to block when a session starts: Claude Code shows the message to the user only.
    return event === 'SessionStart' ? { error: `exited with code 2: ${reason}` } : { block: reason };
  }
  if (run.code !== 0) {
    const said = run.stderr.trim().split('\n')[0] ?? '';
    return { error: `${run.code === null ? 'was killed by a signal' : `exited with code ${run.code}`}${said ? `: ${cap(said)}` : ''}` };
  }
  const out = run.stdout.trim();
  const json = parseObject(out);
  if (!json) return out !== '' && (event === 'SessionStart' || event === 'UserPromptSubmit') ? { context: cap(out) } : {};
  return fromJson(event, json);
}

function fromJson(event: HookEventName, json: Record<string, unknown>): HookVerdict {
  const verdict: HookVerdict = {};
  const reason = str(json.reason);
  const specific = isRecord(json.hookSpecificOutput) ? json.hookSpecificOutput : {};
  const permission = str(specific.permissionDecision);
  const permissionReason = str(specific.permissionDecisionReason);
  if (json.decision === 'block' || (event === 'PreToolUse' && permission === 'deny')) {
    verdict.block =
      cap(permission === 'deny' ? (permissionReason ?? reason ?? '') : (reason ?? '')) ||
      `the ${event} hook blocked this without giving a reason`;
  } else if (event === 'PreToolUse' && (json.decision === 'approve' || permission === 'allow')) {
    verdict.allow = cap(permissionReason ?? reason ?? '') || 'allowed by the hook';
  }
  const context = str(specific.additionalContext);
  if (context !== undefined && context.trim() !== '') verdict.context = cap(context.trim());
  const message = str(json.systemMessage);
  if (message !== undefined && message.trim() !== '') verdict.message = cap(message.trim());
  return verdict;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function cap(text: string): string {
  return text.length > MAX_HOOK_TEXT ? `${text.slice(0, MAX_HOOK_TEXT)} […cut]` : text;
}
