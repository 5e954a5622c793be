// The chat's display boundary: whatever enters the ChatStore (every kind of transcript action, agent
// events, the approval on screen) leaves no string a terminal would act on in the snapshot components read,
// and Markdown rendering cannot bring escapes back (entities). Colours of mcpsh's own Markdown stay.
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/agent/events.js';
import { AppError } from '../../../src/errors.js';
import { ChatStore } from '../../../src/ui/state/chat-store.js';
import { displaySafe, styledSafe } from '../../../src/ui/text/display-safe.js';
import { renderMarkdown } from '../../../src/ui/text/markdown-render.js';
import { initialTranscript, type TranscriptAction } from '../../../src/ui/state/transcript.js';
import { EVIL, evil } from '../../fixtures/servers/hostile-payload.mjs';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Every string in `value`, keys included, with where it is. */
function strings(value: unknown, path = '$', out: Array<[string, string]> = [], seen = new Set<object>()): Array<[string, string]> {
  if (typeof value === 'string') out.push([path, value]);
  else if (typeof value === 'object' && value !== null && !seen.has(value)) {
    seen.add(value);
    const keys = value instanceof Error ? Object.getOwnPropertyNames(value) : Object.keys(value);
    for (const key of keys) {
      out.push([`${path} key`, key]);
      strings((value as Record<string, unknown>)[key], `${path}.${key}`, out, seen);
    }
  }
  return out;
}

function expectNoUnsafe(value: unknown): void {
  const bad = strings(value).filter(([, s]) => UNSAFE.test(s));
  expect(bad.map(([where, s]) => `${where}: ${JSON.stringify(s.slice(0, 60))}`)).toEqual([]);
}

const event = (e: AgentEvent): TranscriptAction => ({ type: 'agent', event: e, at: 1 });

describe('ChatStore as the display boundary', () => {
  it('every action kind, and the approval on screen, leave only safe strings', () => {
    const view = { name: evil('server'), state: 'failed' as const, error: evil('error'), tools: 1 };
    const store = new ChatStore({
      transcript: initialTranscript([view], { model: evil('model'), agent: evil('agent') }),
      approval: undefined,
      toolsOnly: false,
    });
    const actions: TranscriptAction[] = [
      { type: 'banner', title: evil('banner'), lines: [evil('line')] },
      { type: 'user_message', text: evil('user'), at: 1 },
      event({ type: 'turn_start', turn: 1 }),
      event({ type: 'text_delta', text: 'split \u001b' }),
      event({ type: 'text_delta', text: ']0;title\u0007 and \u009b' }),
      event({ type: 'text_delta', text: `2J ${EVIL}` }),
      event({
        type: 'tool_call',
        callId: evil('c1'),
        name: 'x__y',
        server: evil('server'),
        tool: evil('tool'),
        args: { [evil('key')]: evil('value'), nested: [evil('deep')] },
      }),
      event({ type: 'tool_progress', callId: evil('c1'), progress: 1, total: 2, message: evil('progress') }),
      event({
        type: 'tool_result',
        callId: evil('c1'),
        isError: true,
        content: [
          { type: 'text', text: evil('result') },
          { type: 'image', mimeType: evil('image/png'), data: 'AA==' },
        ],
        durationMs: 1,
      }),
      event({ type: 'tool_call', callId: 'c2', name: 'x__z', server: 's', tool: 't', args: {} }),
      event({ type: 'tool_denied', callId: 'c2', reason: evil('reason') }),
      event({ type: 'notice', message: evil('notice') }),
      { type: 'notice', level: 'error', text: evil('ui notice') },
      { type: 'command_output', input: evil('/tools'), output: evil('listing'), table: true },
      { type: 'server_state', server: { name: evil('other'), state: 'failed', error: evil('crash'), tools: 0 } },
      { type: 'direct_call', callId: 'd1', server: evil('s'), tool: evil('t'), args: { a: evil('a') }, at: 1 },
      { type: 'context', model: evil('model2'), agent: evil('agent2') },
      { type: 'elicitation', server: evil('s'), mode: 'form', message: evil('message'), outcome: 'accepted', detail: evil('detail') },
      { type: 'sampling_denied', server: evil('s'), asked: evil('asked'), reason: evil('why'), at: 1 },
      event({
        type: 'done',
        reason: 'error',
        text: evil('final'),
        error: new AppError('MODEL', evil('model failed'), { hint: evil('hint') }),
      }),
    ];
    for (const action of actions) store.dispatch(action);
    store.update({
      approval: {
        callId: evil('c3'),
        name: 'x__y',
        server: evil('server'),
        tool: evil('tool'),
        args: { [evil('k')]: evil('v') },
        annotations: { title: evil('annotation') },
      },
    });
    store.flush();
    const snapshot = store.getSnapshot();
    expectNoUnsafe(snapshot);
    // Still readable: the text is there, made visible, and an AppError is still one.
    const text = JSON.stringify(snapshot);
    expect(text).toContain('split ␛]0;title␇ and ␛[2J');
    expect(text).toContain('result<␛[2J');
    expect(text).toContain('model failed<␛[2J');
    expect(snapshot.approval?.tool).toBe(displaySafe(evil('tool')));
  });

  it('displaySafe keeps errors as errors, bounds depth, and keeps a __proto__ key a key', () => {
    const err = displaySafe(new AppError('MODEL', evil('m'), { hint: evil('h') }));
    expect(err).toBeInstanceOf(AppError);
    expect(err.message).not.toMatch(UNSAFE);
    expect(err.hint).not.toMatch(UNSAFE);
    let deep: unknown = evil('bottom');
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => displaySafe(deep)).not.toThrow();
    const odd = displaySafe(JSON.parse('{"__proto__": "\\u001b[2J"}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(Object.keys(odd)).toEqual(['__proto__']);
  });
});

describe('Markdown cannot bring escapes back', () => {
  it('entities that decode to control characters are made safe after rendering; its own styling stays', () => {
    const out = renderMarkdown('**bold** &#27;]0;title&#7; &#x9b;2J &#8238;rtl &#x202E; `code` [link](http://x)', {
      width: 80,
      color: true,
    });
    // eslint-disable-next-line no-control-regex
    const withoutOwnStyles = out.replace(/\u001b\[[\d;]*m/g, '');
    expect(withoutOwnStyles).not.toMatch(UNSAFE);
    expect(out).toContain('\u001b[4mhttp://x\u001b[24m');
    expect(out).toContain('<U+202E>rtl');
  });

  it('styledSafe keeps SGR only', () => {
    expect(styledSafe('\u001b[1mb\u001b[22m \u001b]0;t\u0007 \u001b[2J')).toBe('\u001b[1mb\u001b[22m ␛]0;t␇ ␛[2J');
  });
});
