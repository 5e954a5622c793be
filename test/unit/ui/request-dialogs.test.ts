// The dialogs for servers' requests rendered with ink-testing-library: the form (typing, toggling,
// choices, validation, accept/decline/cancel and the content sent), the URL wait, sampling approval,
// and the transcript lines that record each outcome.
import { cleanup, render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ElicitationResult, SamplingRequest } from '../../../src/mcp/client-requests.js';
import type { SamplingChoice } from '../../../src/ui/state/client-request-bridge.js';
import { ElicitationDialog } from '../../../src/ui/dialogs/ElicitationDialog.js';
import { EntryView } from '../../../src/ui/components/EntryView.js';
import { parseForm } from '../../../src/ui/state/form-model.js';
import { SamplingDialog } from '../../../src/ui/dialogs/SamplingDialog.js';
import { ThemeContext } from '../../../src/ui/components/theme.js';
import { expandEntry, initialTranscript, transcriptReducer, type Entry } from '../../../src/ui/state/transcript.js';
import { UrlDialog } from '../../../src/ui/dialogs/UrlDialog.js';
import { ENTER, ESC, TAB, UP, DOWN, RIGHT, BACKSPACE, CTRL_C, CTRL_S, press, frameWith } from '../../helpers/ink.js';
import { waitFor } from '../../helpers/processes.js';

afterEach(() => cleanup());

const TRIP = {
  type: 'object',
  properties: {
    city: { type: 'string', title: 'City', default: 'Lisbon' },
    nights: { type: 'integer', title: 'Nights', minimum: 1, maximum: 14 },
    breakfast: { type: 'boolean', title: 'Breakfast' },
    room: {
      type: 'string',
      title: 'Room',
      oneOf: [
        { const: 'single', title: 'Single' },
        { const: 'double', title: 'Double' },
      ],
      default: 'single',
    },
    extras: { type: 'array', title: 'Extras', items: { type: 'string', enum: ['parking', 'spa'] } },
  },
  required: ['city', 'nights'],
};

function form(width = 80, schema: Record<string, unknown> = TRIP): { app: ReturnType<typeof render>; answers: ElicitationResult[] } {
  const answers: ElicitationResult[] = [];
  const app = render(
    h(ElicitationDialog, {
      server: 'travel',
      message: 'Trip details?',
      spec: parseForm(schema),
      onAnswer: (r: ElicitationResult) => answers.push(r),
      width,
      maxHeight: 30,
    }),
  );
  return { app, answers };
}

describe('ElicitationDialog (form mode)', () => {
  it('shows the server, its message, each field with defaults, required marks and the keys', () => {
    const frame = form().app.lastFrame() ?? '';
    expect(frame).toContain('travel asks for input');
    expect(frame).toContain('Trip details?');
    expect(frame).toMatch(/❯ City \*: Lisbon/);
    expect(frame).toMatch(/Nights \*:/);
    expect(frame).toContain('Breakfast: [ ] no');
    expect(frame).toContain('Room: Single');
    expect(frame).toContain('Extras: (none)');
    expect(frame).toContain('Accept');
    expect(frame).toContain('Decline');
    expect(frame).toContain('Esc decline');
  });

  it('typing, moving, toggling and choosing, then Enter on the last field accepts with the right content', async () => {
    const { app, answers } = form();
    await press(app.stdin, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, 'P', 'orto', TAB);
    await frameWith(app, 'a whole number, 1 to 14');
    await press(app.stdin, '3', DOWN, ' ', DOWN);
    await frameWith(app, '(•) Single');
    await press(app.stdin, RIGHT, ' ', TAB, RIGHT, ' ');
    await frameWith(app, '[x] spa');
    await press(app.stdin, ENTER);
    expect(answers).toEqual([
      { action: 'accept', content: { city: 'Porto', nights: 3, breakfast: true, room: 'double', extras: ['spa'] } },
    ]);
  });

  it('accepting with a problem shows it inline and focuses the field instead of sending', async () => {
    const { app, answers } = form();
    await press(app.stdin, CTRL_S);
    let frame = await frameWith(app, '✗ required');
    expect(frame).toMatch(/❯ Nights \*:/);
    await press(app.stdin, '99', CTRL_S);
    frame = await frameWith(app, '✗ at most 14');
    expect(answers).toEqual([]);
    await press(app.stdin, BACKSPACE, CTRL_S);
    expect(answers).toEqual([{ action: 'accept', content: { city: 'Lisbon', nights: 9, breakfast: false, room: 'single' } }]);
  });

  it('Esc declines, Ctrl+C cancels, Enter on Decline declines', async () => {
    const first = form();
    await press(first.app.stdin, ESC);
    await waitFor(() => first.answers.length > 0, { timeoutMs: 2000, what: 'an answer' });
    expect(first.answers).toEqual([{ action: 'decline' }]);
    cleanup();
    const second = form();
    await press(second.app.stdin, CTRL_C);
    expect(second.answers).toEqual([{ action: 'cancel' }]);
    cleanup();
    const third = form();
    await press(third.app.stdin, UP, ENTER);
    expect(third.answers).toEqual([{ action: 'decline' }]);
  });

  it('fits 40 columns and a short screen: lines stay within the width, the fields scroll', async () => {
    const many = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [
          `f${i}`,
          { type: 'string', title: `Field ${i}`, description: 'a fairly long description that has to wrap at forty columns' },
        ]),
      ),
    };
    const answers: ElicitationResult[] = [];
    const app = render(
      h(
        ThemeContext.Provider,
        { value: { color: false } },
        h(ElicitationDialog, {
          server: 'srv',
          message: 'Please fill in the form',
          spec: parseForm(many),
          onAnswer: (r: ElicitationResult) => answers.push(r),
          width: 40,
          maxHeight: 20,
        }),
      ),
    );
    let frame = app.lastFrame() ?? '';
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(40);
    expect(frame.split('\n').length).toBeLessThanOrEqual(20);
    expect(frame).toMatch(/↓ \d+ more below/);
    await press(app.stdin, UP, UP, UP);
    frame = await frameWith(app, /❯ Field 11/);
    expect(frame).toMatch(/↑ \d+ more above/);
  });
});

describe('UrlDialog (URL mode)', () => {
  const url = 'https://auth.example.com/authorize?client_id=abc&state=' + 'x'.repeat(80);

  function urlDialog(): { app: ReturnType<typeof render>; answers: ElicitationResult[] } {
    const answers: ElicitationResult[] = [];
    const app = render(
      h(UrlDialog, { server: 'crm', message: 'Sign in to continue', url, onAnswer: (r: ElicitationResult) => answers.push(r), width: 60 }),
    );
    return { app, answers };
  }

  it('shows the server, the message, the whole URL and its site; Enter accepts', async () => {
    const { app, answers } = urlDialog();
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('crm asks you to open a URL');
    expect(frame).toContain('Sign in to continue');
    expect(frame.replace(/\n/g, '')).toContain(url);
    expect(frame).toContain('site: https://auth.example.com');
    expect(frame).toContain('mcpsh does not open it');
    await press(app.stdin, ENTER);
    expect(answers).toEqual([{ action: 'accept' }]);
  });

  it('d declines; Esc and Ctrl+C cancel', async () => {
    for (const [key, action] of [
      ['d', 'decline'],
      [ESC, 'cancel'],
      [CTRL_C, 'cancel'],
    ] as const) {
      const { app, answers } = urlDialog();
      await press(app.stdin, key);
      await waitFor(() => answers.length > 0, { timeoutMs: 2000, what: 'an answer' });
      expect(answers).toEqual([{ action }]);
      cleanup();
    }
  });
});

describe('SamplingDialog', () => {
  const params: SamplingRequest['params'] = {
    systemPrompt: 'You are a helpful test server.',
    messages: Array.from({ length: 6 }, (_, i) => ({
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: { type: 'text' as const, text: `message ${i}\u001b[31m red` },
    })),
    maxTokens: 100,
  };

  function sampling(): { app: ReturnType<typeof render>; answers: SamplingChoice[] } {
    const answers: SamplingChoice[] = [];
    const app = render(
      h(SamplingDialog, {
        server: 'everything',
        params,
        model: 'gpt-test',
        onAnswer: (c: SamplingChoice) => answers.push(c),
        width: 80,
        maxHeight: 30,
      }),
    );
    return { app, answers };
  }

  it('shows who asks, the system prompt, a bounded preview of the messages and maxTokens; Deny is highlighted', () => {
    const frame = sampling().app.lastFrame() ?? '';
    expect(frame).toContain('everything asks the model for a completion (sampling)');
    expect(frame).toContain('max tokens 100 · answered by gpt-test');
    expect(frame).toContain('You are a helpful test server.');
    expect(frame).toContain('message 0 red');
    expect(frame).not.toContain('message 5');
    expect(frame).toMatch(/… \d+ more lines \(v: view all\)/);
    expect(frame).toContain('❯ 3. Deny');
  });

  it('v shows everything, ↑↓ scroll; the keys choose once, for the session, or deny', async () => {
    const { app, answers } = sampling();
    await press(app.stdin, 'v');
    await frameWith(app, 'message 5 red');
    await press(app.stdin, 'y');
    expect(answers).toEqual(['once']);
    cleanup();
    const second = sampling();
    await press(second.app.stdin, UP, ENTER);
    expect(second.answers).toEqual(['server']);
    cleanup();
    const third = sampling();
    await press(third.app.stdin, ENTER);
    await press(third.app.stdin, ESC);
    expect(third.answers).toEqual(['deny', 'deny']);
  });
});

describe('transcript entries for requests', () => {
  function entries(...actions: Parameters<typeof transcriptReducer>[1][]): Entry[] {
    const state = actions.reduce(transcriptReducer, initialTranscript());
    return [...state.done, ...state.live];
  }

  it('an elicitation outcome and a sampling request with its answer are shown, the answer previewed', () => {
    const list = entries(
      {
        type: 'elicitation',
        server: 'travel',
        mode: 'form',
        message: 'Trip details?',
        outcome: 'accepted',
        detail: 'city="Porto", password=••••',
      },
      {
        type: 'sampling_started',
        requestId: 's1',
        server: 'everything',
        asked: 'Resource context: hi',
        allowedForSession: false,
        at: 1000,
      },
      {
        type: 'sampling_finished',
        requestId: 's1',
        outcome: { ok: true, text: 'line 1\nline 2\nline 3\nline 4\nline 5', model: 'gpt-test' },
        at: 2500,
      },
      { type: 'sampling_denied', server: 'other', asked: 'please', reason: 'you declined', at: 3000 },
    );
    expect(list.map((e) => e.kind)).toEqual(['elicitation', 'sampling', 'sampling']);
    const frames = list.map((entry) => render(h(EntryView, { entry, width: 80 })).lastFrame() ?? '');
    expect(frames[0]).toContain('✓ travel asked for input: Trip details?');
    expect(frames[0]).toContain('└ accepted: city="Porto", password=••••');
    expect(frames[1]).toContain('✓ sampling for everything  asked: Resource context: hi · gpt-test · 1.5s');
    expect(frames[1]).toContain('└ line 1');
    expect(frames[1]).not.toContain('line 5');
    expect(frames[1]).toContain('(/expand 1)');
    expect(frames[2]).toContain('⊘ sampling for other');
    expect(frames[2]).toContain('└ denied: you declined');
  });

  it('/expand shows a sampling request in full, and tool calls as before (numbers shared)', () => {
    const state = [
      { type: 'direct_call', callId: 'd1', server: 'db', tool: 'query', args: { sql: 'select 1' }, at: 1 },
      { type: 'sampling_started', requestId: 's1', server: 'everything', asked: 'hi', allowedForSession: false, at: 1000 },
      { type: 'sampling_finished', requestId: 's1', outcome: { ok: true, text: 'a\nb\nc\nd\ne\nf', model: 'gpt-test' }, at: 1200 },
    ].reduce((s, a) => transcriptReducer(s, a as Parameters<typeof transcriptReducer>[1]), initialTranscript());
    expect(expandEntry(state, 2)).toBe('#2 sampling for server everything (ok)\nasked:\nhi\nanswer (gpt-test):\na\nb\nc\nd\ne\nf');
    expect(expandEntry(state, 1)).toContain('#1 db › query (running)');
    expect(expandEntry(state, undefined)).toContain('#1 db › query');
    expect(expandEntry(state, 3)).toBeUndefined();
  });
});
