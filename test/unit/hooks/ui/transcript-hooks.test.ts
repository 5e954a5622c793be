// The chat shows hook events: a failed hook and a Stop hook's "go on" as notices; a blocked call as the call
// denied (with the hook's reason), a blocked prompt as the turn's error, an approval not at all.
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../../src/agent/events.js';
import { initialTranscript, transcriptReducer, type Entry, type TranscriptState } from '../../../../src/ui/state/transcript.js';

function show(events: AgentEvent[]): Entry[] {
  const state = events.reduce<TranscriptState>((s, event, i) => transcriptReducer(s, { type: 'agent', event, at: i }), initialTranscript());
  return [...state.done, ...state.live];
}

const hook = (
  event: Extract<AgentEvent, { type: 'hook' }>['event'],
  outcome: 'block' | 'allow' | 'error',
  reason: string,
  callId?: string,
): AgentEvent => ({
  type: 'hook',
  event,
  outcome,
  reason,
  command: './check.sh',
  ...(callId ? { callId } : {}),
});

describe('hook events in the chat transcript', () => {
  it('a failed hook is a warning; a Stop block an info notice; approvals and blocked prompts add nothing', () => {
    const entries = show([
      hook('PreToolUse', 'error', 'exited with code 1: boom'),
      hook('Stop', 'block', 'run the tests first'),
      hook('PreToolUse', 'allow', 'fine', 'c1'),
      hook('UserPromptSubmit', 'block', 'no'),
    ]);
    expect(entries.map((e) => (e.kind === 'notice' ? [e.level, e.text] : e.kind))).toEqual([
      ['warn', 'PreToolUse hook "./check.sh" failed: exited with code 1: boom'],
      ['info', 'Stop hook: run the tests first'],
    ]);
  });

  it('a call a PreToolUse hook blocked shows as denied with the reason', () => {
    const entries = show([
      { type: 'tool_call', callId: 'c1', name: 'files__write', server: 'files', tool: 'write', args: {} },
      hook('PreToolUse', 'block', 'frozen', 'c1'),
      { type: 'tool_denied', callId: 'c1', reason: 'blocked by a PreToolUse hook: frozen' },
    ]);
    expect(entries).toMatchObject([{ kind: 'tool', status: 'denied', result: 'blocked by a PreToolUse hook: frozen' }]);
  });
});
