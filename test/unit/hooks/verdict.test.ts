// What a hook's exit code and output mean, per event, in Claude Code's terms.
import { describe, expect, it } from 'vitest';
import type { CommandRun } from '../../../src/hooks/run-command.js';
import { MAX_HOOK_TEXT, verdictOf } from '../../../src/hooks/verdict.js';

const ran = (code: number | null, stdout = '', stderr = '', extra: Partial<CommandRun> = {}): CommandRun => ({
  code,
  stdout,
  stderr,
  timedOut: false,
  cancelled: false,
  ...extra,
});

describe('hook verdicts', () => {
  it('exit 0 with nothing printed decides nothing', () => {
    expect(verdictOf('PreToolUse', ran(0), 60)).toEqual({});
  });

  it('exit 2 blocks with stderr as the reason (ignoring stdout), and says so when stderr is empty', () => {
    expect(verdictOf('PreToolUse', ran(2, '{"decision":"approve"}', '  not in prod\n'), 60)).toEqual({ block: 'not in prod' });
    expect(verdictOf('Stop', ran(2), 60).block).toMatch(/exit code 2/);
  });

  it('exit 2 of a SessionStart hook has nothing to block: it is reported as an error', () => {
    expect(verdictOf('SessionStart', ran(2, '', 'nope'), 60)).toEqual({ error: 'exited with code 2: nope' });
  });

  it('other exit codes, timeouts, signals and a shell that would not start are errors, never blocks', () => {
    expect(verdictOf('PreToolUse', ran(1, '', 'boom\nmore'), 60)).toEqual({ error: 'exited with code 1: boom' });
    expect(verdictOf('PreToolUse', ran(null, '', '', { timedOut: true }), 5)).toEqual({
      error: 'did not finish within 5s and was stopped',
    });
    expect(verdictOf('PreToolUse', ran(null), 60)).toEqual({ error: 'was killed by a signal' });
    expect(verdictOf('PreToolUse', ran(null, '', '', { spawnError: 'ENOENT' }), 60)).toEqual({ error: 'could not be started: ENOENT' });
    expect(verdictOf('PreToolUse', ran(null, '', '', { cancelled: true }), 60)).toEqual({});
  });

  it('stdout JSON: decision block / approve, and PreToolUse permissionDecision deny / allow', () => {
    expect(verdictOf('PostToolUse', ran(0, '{"decision":"block","reason":"lint failed"}'), 60)).toEqual({ block: 'lint failed' });
    expect(verdictOf('PreToolUse', ran(0, '{"decision":"approve","reason":"safe"}'), 60)).toEqual({ allow: 'safe' });
    const deny = {
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'protected path' },
    };
    expect(verdictOf('PreToolUse', ran(0, JSON.stringify(deny)), 60)).toEqual({ block: 'protected path' });
    const allow = { hookSpecificOutput: { permissionDecision: 'allow' } };
    expect(verdictOf('PreToolUse', ran(0, JSON.stringify(allow)), 60)).toEqual({ allow: 'allowed by the hook' });
    // "ask" leaves it to the permission rules; approve means nothing outside PreToolUse.
    expect(verdictOf('PreToolUse', ran(0, '{"hookSpecificOutput":{"permissionDecision":"ask"}}'), 60)).toEqual({});
    expect(verdictOf('Stop', ran(0, '{"decision":"approve"}'), 60)).toEqual({});
    expect(verdictOf('Stop', ran(0, '{"decision":"block"}'), 60).block).toMatch(/Stop hook blocked this without giving a reason/);
  });

  it('context: plain stdout for SessionStart and UserPromptSubmit, additionalContext for any event; systemMessage for the user', () => {
    expect(verdictOf('SessionStart', ran(0, 'branch: main\n'), 60)).toEqual({ context: 'branch: main' });
    expect(verdictOf('UserPromptSubmit', ran(0, 'today is Monday'), 60)).toEqual({ context: 'today is Monday' });
    expect(verdictOf('PreToolUse', ran(0, 'plain text is only logged'), 60)).toEqual({});
    const json = { hookSpecificOutput: { additionalContext: 'formatted the file' }, systemMessage: 'ran prettier' };
    expect(verdictOf('PostToolUse', ran(0, JSON.stringify(json)), 60)).toEqual({ context: 'formatted the file', message: 'ran prettier' });
    // Not JSON after all: plain text.
    expect(verdictOf('UserPromptSubmit', ran(0, '{not json'), 60)).toEqual({ context: '{not json' });
  });

  it('reasons and context are capped', () => {
    const long = 'x'.repeat(MAX_HOOK_TEXT + 50);
    expect(verdictOf('PreToolUse', ran(2, '', long), 60).block?.length).toBeLessThan(MAX_HOOK_TEXT + 20);
    expect(verdictOf('SessionStart', ran(0, long), 60).context?.length).toBeLessThan(MAX_HOOK_TEXT + 20);
  });
});
