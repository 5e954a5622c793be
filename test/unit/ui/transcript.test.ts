// The transcript reducer over real recorded runs (scripted model + basic fixture server), and the
// UI-only actions. Finished entries must reach `done` in transcript order; only live ones stay live.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hub } from '../../../src/mcp/hub.js';
import { splitStreamingMarkdown } from '../../../src/ui/text/markdown-split.js';
import {
  FULL_RESULTS_KEPT,
  findToolBySeq,
  initialTranscript,
  transcriptReducer,
  type Entry,
  type ToolCallEntry,
  type TranscriptAction,
  type TranscriptState,
} from '../../../src/ui/state/transcript.js';
import { nodeServer } from '../../helpers/config.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { recordRun } from './record-run.js';

let hub: Hub;

beforeAll(async () => {
  hub = new Hub([nodeServer('basic', fixturePath('basic.mjs'))], {
    env: process.env,
    logDir: mkdtempSync(join(tmpdir(), 'mcpsh-transcript-')),
    clientVersion: '0',
  });
  await hub.connectAll();
});

afterAll(async () => {
  await hub.close();
});

function replay(actions: TranscriptAction[], from: TranscriptState = initialTranscript()): TranscriptState {
  return actions.reduce(transcriptReducer, from);
}

function shape(entries: Entry[]): string[] {
  return entries.map((e) => {
    switch (e.kind) {
      case 'assistant':
        return `assistant:${e.text}`;
      case 'tool':
        return `tool:${e.server}.${e.tool}:${e.status}`;
      case 'notice':
        return `notice:${e.level}:${e.text}`;
      case 'user':
        return `user:${e.text}`;
      default:
        return e.kind;
    }
  });
}

describe('transcript reducer over recorded runs', () => {
  it('a streamed answer: finished blocks go to done as they complete, the rest when the turn ends', async () => {
    const actions = await recordRun(hub, [
      {
        text: ['# Title\n\nFirst para', 'graph.\n\nSecond ', 'paragraph.\n\n- a\n- b'],
        usage: { prompt_tokens: 10, completion_tokens: 5 },
      },
    ]);
    // Midway (after the delta that starts the second paragraph) the first blocks are already done.
    const second = actions.findIndex((a) => a.type === 'agent' && a.event.type === 'text_delta' && a.event.text.includes('Second'));
    const midway = replay(actions.slice(0, second + 1));
    expect(shape(midway.done)).toEqual(['user:the question', 'assistant:# Title', 'assistant:First paragraph.']);
    expect(shape(midway.live)).toEqual(['assistant:Second ']);
    expect(midway.busy).toBe(true);

    const end = replay(actions);
    expect(end.live).toEqual([]);
    expect(shape(end.done)).toEqual([
      'user:the question',
      'assistant:# Title',
      'assistant:First paragraph.',
      'assistant:Second paragraph.',
      'assistant:- a\n- b',
    ]);
    expect(end.done.filter((e) => e.kind === 'assistant').map((e) => (e as { first: boolean }).first)).toEqual([true, false, false, false]);
    expect(end.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
    expect(end.busy).toBe(false);
  });

  it('a tool call between two answers: text, then the call with its result, then the final answer', async () => {
    const actions = await recordRun(
      hub,
      [{ text: 'Let me echo.', toolCalls: [{ name: 'basic__echo', arguments: { message: 'hi there' } }] }, { text: 'It said hi there.' }],
      { allow: ['basic__*'] },
    );
    const running = replay(actions.slice(0, actions.findIndex((a) => a.type === 'agent' && a.event.type === 'tool_call') + 1));
    expect(shape(running.live)).toEqual(['tool:basic.echo:running']);
    expect(shape(running.done)).toEqual(['user:the question', 'assistant:Let me echo.']);

    const end = replay(actions);
    expect(shape(end.done)).toEqual(['user:the question', 'assistant:Let me echo.', 'tool:basic.echo:ok', 'assistant:It said hi there.']);
    const tool = end.done[2] as ToolCallEntry;
    expect(tool).toMatchObject({ args: { message: 'hi there' }, result: 'hi there', seq: 1, direct: false });
    expect(tool.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('parallel calls keep their order: a fast call that finishes first waits behind the slow one', async () => {
    const actions = await recordRun(
      hub,
      [
        {
          toolCalls: [
            { id: 'slow', name: 'basic__slow', arguments: { ms: 300, steps: 3 } },
            { id: 'fast', name: 'basic__echo', arguments: { message: 'quick' } },
          ],
        },
        { text: 'done' },
      ],
      { allow: ['basic__*'] },
    );
    const fastDone = actions.findIndex((a) => a.type === 'agent' && a.event.type === 'tool_result' && a.event.callId === 'fast');
    const slowDone = actions.findIndex((a) => a.type === 'agent' && a.event.type === 'tool_result' && a.event.callId === 'slow');
    expect(fastDone).toBeLessThan(slowDone);
    const between = replay(actions.slice(0, fastDone + 1));
    expect(shape(between.live)).toEqual(['tool:basic.slow:running', 'tool:basic.echo:ok']);

    // Progress notifications from the server show on the running call.
    const progressed = actions.findIndex((a) => a.type === 'agent' && a.event.type === 'tool_progress');
    expect(progressed).toBeGreaterThan(-1);
    const withProgress = replay(actions.slice(0, progressed + 1));
    expect((withProgress.live.find((e) => e.kind === 'tool' && e.callId === 'slow') as ToolCallEntry).progress).toMatchObject({ total: 3 });

    const end = replay(actions);
    expect(shape(end.done).slice(1)).toEqual(['tool:basic.slow:ok', 'tool:basic.echo:ok', 'assistant:done']);
  });

  it('an approval: the call shows as waiting, then runs when allowed', async () => {
    const actions = await recordRun(
      hub,
      [{ toolCalls: [{ id: 'c1', name: 'basic__echo', arguments: { message: 'x' } }] }, { text: 'ok' }],
      { answers: [{ kind: 'allow_once' }] },
    );
    const asked = actions.findIndex((a) => a.type === 'approval_requested');
    const call = actions.findIndex((a) => a.type === 'agent' && a.event.type === 'tool_call');
    // The prompt comes before the tool_call event reaches the UI; the entry must still show it waiting.
    expect(asked).toBeLessThan(call);
    const waiting = replay(actions.slice(0, call + 1));
    expect(shape(waiting.live)).toEqual(['tool:basic.echo:awaiting_approval']);
    expect(shape(replay(actions).done)).toContain('tool:basic.echo:ok');
  });

  it('a denied call shows the reason', async () => {
    const actions = await recordRun(hub, [{ toolCalls: [{ name: 'basic__echo', arguments: { message: 'x' } }] }, { text: 'fine' }], {
      answers: [{ kind: 'deny', reason: 'not now' }],
    });
    const end = replay(actions);
    const tool = end.done.find((e): e is ToolCallEntry => e.kind === 'tool');
    expect(tool).toMatchObject({ status: 'denied', result: 'the user denied it: not now' });
    expect(shape(end.done).at(-1)).toBe('assistant:fine');
  });

  it('a tool error result is shown as an error with its text', async () => {
    const actions = await recordRun(
      hub,
      [{ toolCalls: [{ name: 'basic__fail', arguments: { message: 'boom' } }] }, { text: 'it failed' }],
      { allow: ['basic__*'] },
    );
    expect(replay(actions).done.find((e) => e.kind === 'tool')).toMatchObject({ status: 'error', result: 'boom' });
  });

  it('cancelling mid-call ends the turn with a notice and nothing left live', async () => {
    const actions = await recordRun(hub, [{ toolCalls: [{ name: 'basic__slow', arguments: { ms: 20_000 } }] }, { text: 'never' }], {
      allow: ['basic__*'],
      onAction: (a, abort) => {
        if (a.type === 'agent' && a.event.type === 'tool_call') setTimeout(abort, 100);
      },
    });
    const end = replay(actions);
    expect(end.live).toEqual([]);
    expect(end.busy).toBe(false);
    expect(shape(end.done).at(-1)).toBe('notice:warn:cancelled');
    expect(end.done.find((e) => e.kind === 'tool')).toMatchObject({ status: 'error', result: 'The call was cancelled by the user.' });
  });

  it('a model error ends the turn with the message', async () => {
    const actions = await recordRun(hub, [{ error: { status: 401, message: 'Incorrect API key provided' } }]);
    const end = replay(actions);
    const notice = end.done.at(-1);
    expect(notice).toMatchObject({ kind: 'notice', level: 'error' });
    expect((notice as { text: string }).text).toMatch(/Incorrect API key|401/);
  });
});

describe('transcript reducer: UI actions', () => {
  const at = 0;

  it('user message, command output and notices are finished at once', () => {
    const state = replay([
      { type: 'banner', title: 'mcpsh chat', lines: ['hi'] },
      { type: 'command_output', input: '/stats', output: 'tokens: 0', table: true },
      { type: 'notice', level: 'info', text: 'note' },
    ]);
    expect(state.live).toEqual([]);
    expect(state.done.map((e) => e.kind)).toEqual(['banner', 'command', 'notice']);
  });

  it('a notice during a streaming answer waits behind it, and the answer keeps growing in place', () => {
    const state = replay([
      { type: 'user_message', text: 'q', at },
      { type: 'agent', event: { type: 'text_delta', text: 'Hel' }, at },
      { type: 'notice', level: 'warn', text: 'server x stopped' },
      { type: 'agent', event: { type: 'text_delta', text: 'lo' }, at },
    ]);
    expect(shape(state.live)).toEqual(['assistant:Hello', 'notice:warn:server x stopped']);
  });

  it('server state changes: a failure adds one notice, a recovery another', () => {
    const s0 = initialTranscript([{ name: 'db', state: 'connecting', tools: 0 }]);
    const s1 = replay([{ type: 'server_state', server: { name: 'db', state: 'failed', error: 'exited with code 1', tools: 0 } }], s0);
    expect(s1.servers).toEqual([{ name: 'db', state: 'failed', error: 'exited with code 1', tools: 0 }]);
    expect(shape(s1.done)).toEqual(['notice:error:server db could not start: exited with code 1']);
    const s2 = replay([{ type: 'server_state', server: { name: 'db', state: 'failed', error: 'again', tools: 0 } }], s1);
    expect(s2.done).toHaveLength(1);
    const s3 = replay([{ type: 'server_state', server: { name: 'db', state: 'ready', tools: 4 } }], s2);
    expect(shape(s3.done).at(-1)).toBe('notice:info:server db is ready again');
  });

  it('a direct /call is a tool entry that a later result finishes', () => {
    const state = replay([
      { type: 'direct_call', callId: 'direct-1', server: 'db', tool: 'query', args: { sql: 'select 1' }, at },
      {
        type: 'agent',
        event: { type: 'tool_result', callId: 'direct-1', isError: false, content: [{ type: 'text', text: '1' }], durationMs: 5 },
        at,
      },
    ]);
    expect(state.done[0]).toMatchObject({ kind: 'tool', direct: true, status: 'ok', result: '1' });
    expect(findToolBySeq(state, 1)).toBe(state.done[0]);
    expect(findToolBySeq(state, undefined)).toBe(state.done[0]);
  });

  it('turn_cancelled marks the turn as cancelling until done', () => {
    const s = replay([{ type: 'user_message', text: 'q', at }, { type: 'turn_cancelled' }]);
    expect(s.cancelling).toBe(true);
    const d = replay([{ type: 'agent', event: { type: 'done', reason: 'cancelled', text: '' }, at }], s);
    expect(d.cancelling).toBe(false);
    expect(d.busy).toBe(false);
  });

  it('only the latest results stay whole; older ones are cut to a preview', () => {
    const big = 'x'.repeat(5000);
    const actions: TranscriptAction[] = [];
    for (let i = 0; i < FULL_RESULTS_KEPT + 2; i++) {
      actions.push({ type: 'direct_call', callId: `d${i}`, server: 's', tool: 't', args: {}, at });
      actions.push({
        type: 'agent',
        event: { type: 'tool_result', callId: `d${i}`, isError: false, content: [{ type: 'text', text: big }], durationMs: 1 },
        at,
      });
    }
    const state = replay(actions);
    const tools = state.done.filter((e): e is ToolCallEntry => e.kind === 'tool');
    expect(tools[0]?.result?.length).toBeLessThan(1000);
    expect(tools[1]?.result?.length).toBeLessThan(1000);
    expect(tools[2]?.result).toBe(big);
    expect(tools.at(-1)?.result).toBe(big);
  });
});

describe('splitStreamingMarkdown', () => {
  it('cuts after a finished block once the next one has started', () => {
    expect(splitStreamingMarkdown('One.\n\nTw')).toEqual({ committed: 'One.', rest: 'Tw' });
    expect(splitStreamingMarkdown('One.\n\n')).toEqual({ committed: '', rest: 'One.\n\n' });
  });

  it('never cuts inside a code fence', () => {
    const text = '```\ncode\n\nmore code\n```\n\nAfter';
    expect(splitStreamingMarkdown('```\ncode\n\nmore')).toEqual({ committed: '', rest: '```\ncode\n\nmore' });
    expect(splitStreamingMarkdown(text)).toEqual({ committed: '```\ncode\n\nmore code\n```', rest: 'After' });
  });

  it('keeps list continuations and numbered lists together', () => {
    expect(splitStreamingMarkdown('- a\n\n  continued').committed).toBe('');
    expect(splitStreamingMarkdown('1. a\n\n2. b').committed).toBe('');
    expect(splitStreamingMarkdown('1. a\n\n2').committed).toBe('');
  });
});
