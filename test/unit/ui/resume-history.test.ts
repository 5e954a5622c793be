// A saved chat's messages as the entries the chat prints when it is resumed: turns, tool call statuses,
// the bounds on what is shown, and the reducer putting them on screen (and asking for a redraw).
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/model/types.js';
import { historyEntries, HISTORY_LIMITS } from '../../../src/ui/state/resume-history.js';
import { initialTranscript, transcriptReducer, type Entry, type TranscriptAction } from '../../../src/ui/state/transcript.js';

const turn = (n: number): ChatMessage[] => [
  { role: 'user', content: `question ${n}` },
  { role: 'assistant', content: `answer ${n}` },
];

describe('historyEntries', () => {
  it('shows messages, answers and tool calls with the status their saved result tells', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'the system prompt is not shown' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look at @docs:a.md' },
          { type: 'text', text: '[resource a.md]\nattached text' },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.  \n',
        toolCalls: [
          { id: 'a', name: 'db__query', arguments: '{"sql":"select 1"}' },
          { id: 'b', name: 'db__drop', arguments: '{}' },
          { id: 'c', name: 'files__read', arguments: 'not json' },
          { id: 'd', name: 'slow', arguments: '{}' },
          { id: 'e', name: 'db__broken', arguments: '{}' },
        ],
      },
      { role: 'tool', toolCallId: 'a', content: '1' },
      {
        role: 'tool',
        toolCallId: 'b',
        content: "The user's permission rules did not allow this call: denied by the user. Do not retry it; continue without it.",
      },
      { role: 'tool', toolCallId: 'c', content: 'Error: the arguments for files__read are not valid JSON' },
      { role: 'tool', toolCallId: 'd', content: 'The session ended before this call finished.' },
      { role: 'tool', toolCallId: 'e', content: [{ type: 'image', mimeType: 'image/png', data: 'AA==' }] },
      { role: 'assistant', content: 'Done: **1**.' },
    ];
    const resolve = (name: string): { server: string; tool: string } | undefined =>
      name === 'db__query' ? { server: 'db', tool: 'query' } : undefined;
    expect(historyEntries(messages, resolve)).toEqual([
      { kind: 'user', text: 'look at @docs:a.md' },
      { kind: 'assistant', text: 'Checking.', final: true, first: true },
      {
        kind: 'tool',
        callId: 'a',
        server: 'db',
        tool: 'query',
        args: { sql: 'select 1' },
        status: 'ok',
        result: '1',
        startedAt: 0,
        direct: false,
      },
      {
        kind: 'tool',
        callId: 'b',
        server: 'db',
        tool: 'drop',
        args: {},
        status: 'denied',
        result: 'denied by the user',
        startedAt: 0,
        direct: false,
      },
      {
        kind: 'tool',
        callId: 'c',
        server: 'files',
        tool: 'read',
        args: 'not json',
        status: 'error',
        result: 'Error: the arguments for files__read are not valid JSON',
        startedAt: 0,
        direct: false,
      },
      {
        kind: 'tool',
        callId: 'd',
        server: '',
        tool: 'slow',
        args: {},
        status: 'cancelled',
        result: 'The session ended before this call finished.',
        startedAt: 0,
        direct: false,
      },
      {
        kind: 'tool',
        callId: 'e',
        server: 'db',
        tool: 'broken',
        args: {},
        status: 'ok',
        result: '[image image/png]',
        startedAt: 0,
        direct: false,
      },
      { kind: 'assistant', text: 'Done: **1**.', final: true, first: true },
    ]);
  });

  it('shows the last turns only, with a line that counts the others', () => {
    const messages = Array.from({ length: 30 }, (_, i) => turn(i + 1)).flat();
    const entries = historyEntries(messages);
    expect(entries[0]).toEqual({
      kind: 'notice',
      level: 'info',
      text: '10 earlier turns of this chat not shown (the model still has them)',
    });
    expect(entries).toHaveLength(1 + 2 * HISTORY_LIMITS.turns);
    expect(entries[1]).toEqual({ kind: 'user', text: 'question 11' });
    expect(entries.at(-1)).toMatchObject({ kind: 'assistant', text: 'answer 30' });
  });

  it('bounds entries and text: a turn with hundreds of tool calls shows its message and its end', () => {
    const calls = Array.from({ length: 500 }, (_, i) => ({ id: `c${i}`, name: 'db__query', arguments: '{}' }));
    const messages: ChatMessage[] = [
      ...turn(1),
      { role: 'user', content: 'x'.repeat(20_000) },
      { role: 'assistant', content: '', toolCalls: calls },
      ...calls.map((c): ChatMessage => ({ role: 'tool', toolCallId: c.id, content: 'r'.repeat(10_000) })),
      { role: 'assistant', content: 'finished' },
    ];
    const entries = historyEntries(messages);
    expect(entries.length).toBeLessThanOrEqual(HISTORY_LIMITS.entries + 1);
    expect(entries[0]).toEqual({ kind: 'notice', level: 'info', text: '1 earlier turn of this chat not shown (the model still has it)' });
    expect(entries[1]).toEqual({ kind: 'user', text: `${'x'.repeat(8000)}\n… (12000 more characters not shown)` });
    expect(entries[2]).toEqual({ kind: 'notice', level: 'info', text: '303 earlier steps of this turn not shown' });
    expect(entries.at(-1)).toMatchObject({ kind: 'assistant', text: 'finished' });
    const tool = entries.find((e) => e.kind === 'tool');
    expect(tool?.kind === 'tool' ? tool.result?.length : 0).toBeLessThan(HISTORY_LIMITS.resultChars + 100);
  });
});

describe('the history action', () => {
  const banner: TranscriptAction = { type: 'banner', title: 'mcpsh chat', lines: [] };
  const kinds = (entries: Entry[]): string[] => entries.map((e) => e.kind);

  it('keeps the banners, replaces the rest, numbers tool calls for /expand, and asks for a redraw only when something else was printed', () => {
    let state = transcriptReducer(initialTranscript(), banner);
    state = transcriptReducer(state, {
      type: 'history',
      entries: historyEntries([
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 's__t', arguments: '{}' }] },
        { role: 'tool', toolCallId: 'a', content: 'ok' },
      ]),
    });
    expect(kinds(state.done)).toEqual(['banner', 'user', 'tool']);
    expect(state.live).toEqual([]);
    expect(state.generation).toBe(0); // only the banner was on screen: the history is simply printed after it
    expect(state.done[2]).toMatchObject({ kind: 'tool', seq: 1, status: 'ok' });

    state = transcriptReducer(state, { type: 'notice', level: 'info', text: 'more' });
    state = transcriptReducer(state, { type: 'history', entries: historyEntries([{ role: 'user', content: 'other chat' }]) });
    expect(kinds(state.done)).toEqual(['banner', 'user']);
    expect(state.done[1]).toMatchObject({ text: 'other chat' });
    expect(state.generation).toBe(1);
    expect(new Set([...state.done].map((e) => e.id)).size).toBe(2);
  });
});
