// The prompt line's work for the chat besides editing, rendered with ink-testing-library: a question
// (a missing prompt argument) answered, completed and abandoned in the line, text put back after a
// message could not be sent, completion that answers later, and the server prompts' hints.
import { cleanup, render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { PromptHistory } from '../../../src/ui/input/history.js';
import { Input, type InputProps } from '../../../src/ui/input/Input.js';
import { InputBridge, type Completion } from '../../../src/ui/input/input-bridge.js';
import { ENTER, ESC, TAB, CTRL_C, tick, press, frameWith } from '../../helpers/ink.js';

afterEach(() => cleanup());

function setup(extra: Partial<InputProps> = {}): {
  app: ReturnType<typeof render>;
  bridge: InputBridge;
  sent: string[];
  interrupts: boolean[];
  history: PromptHistory;
} {
  const bridge = new InputBridge();
  const sent: string[] = [];
  const interrupts: boolean[] = [];
  const history = new PromptHistory(undefined);
  const props: InputProps = {
    history,
    onSubmit: (text) => {
      sent.push(text);
      return true;
    },
    onInterrupt: (empty) => {
      interrupts.push(empty);
      return true;
    },
    onExit: () => undefined,
    width: 80,
    placeholder: 'ask anything',
    bridge,
    ...extra,
  };
  return { app: render(h(Input, props)), bridge, sent, interrupts, history };
}

const names = async (text: string): Promise<Completion> => {
  await tick(5);
  const values = ['David', 'Eve', 'Frank'].filter((n) => n.startsWith(text));
  return values.length === 1 ? { text: values[0] ?? text, candidates: [] } : { text, candidates: values };
};

describe('question mode', () => {
  it('shows which argument of which prompt, completes with Tab, and Enter answers (not sent, not in history)', async () => {
    const { app, bridge, sent, history } = setup();
    const answer = bridge.ask({
      title: '/ev:completable-prompt',
      name: 'name',
      description: 'Choose a team member.',
      position: '2 of 2',
      complete: names,
    });
    const frame = await frameWith(app, 'needs name');
    expect(frame).toContain('? /ev:completable-prompt needs name (2 of 2): Choose a team member.');
    expect(frame).toContain('Enter answers · Tab completes · Esc abandons the prompt');
    expect(frame).toContain('name ›  a value for name');
    await press(app.stdin, TAB);
    expect(await frameWith(app, 'Frank')).toMatch(/ {2}David\n {2}Eve\n {2}Frank/);
    await press(app.stdin, 'E', TAB);
    expect(await frameWith(app, 'name › Eve')).not.toContain('David');
    await press(app.stdin, ENTER);
    expect(await answer).toBe('Eve');
    expect(sent).toEqual([]);
    expect(history.all).toEqual([]);
    expect(await frameWith(app, 'ask anything')).not.toContain('needs name');
  });

  it('an empty answer is not taken; Esc abandons, and so does Ctrl+C (without interrupting the chat)', async () => {
    const { app, bridge, interrupts } = setup();
    const first = bridge.ask({ title: '/p:q', name: 'city' });
    await frameWith(app, 'needs city');
    await press(app.stdin, ENTER);
    expect(app.lastFrame()).toContain('needs city');
    await press(app.stdin, 'Lyo', ESC);
    expect(await first).toBeUndefined();
    expect(await frameWith(app, 'ask anything')).not.toContain('Lyo');
    const second = bridge.ask({ title: '/p:q', name: 'state' });
    await frameWith(app, 'needs state');
    await press(app.stdin, CTRL_C);
    expect(await second).toBeUndefined();
    expect(interrupts).toEqual([]);
  });
});

describe('the prompt line and the chat', () => {
  it('text put back after a failed send fills an empty prompt, and never overwrites new typing', async () => {
    const { app, bridge } = setup();
    bridge.restore('see @ev:demo://x');
    expect(await frameWith(app, 'see @ev:demo://x')).toContain('› see @ev:demo://x');
    await press(app.stdin, '\u0015');
    await press(app.stdin, 'new');
    bridge.restore('old text');
    await tick(50);
    expect(app.lastFrame()).toContain('› new');
    expect(app.lastFrame()).not.toContain('old text');
  });

  it('completion that answers later is applied, unless the text changed meanwhile', async () => {
    let release: (c: Completion) => void = () => undefined;
    const { app } = setup({
      complete: (text) => (text === 'look @e' ? Promise.resolve({ text: 'look @ev:', candidates: [] }) : new Promise((r) => (release = r))),
    });
    await press(app.stdin, 'look @e', TAB);
    expect(await frameWith(app, 'look @ev:')).toContain('› look @ev:');
    await press(app.stdin, 'x', TAB, 'y');
    release({ text: 'replaced', candidates: [] });
    await tick(50);
    expect(app.lastFrame()).toContain('› look @ev:xy');
  });

  it('the bridge adds the server prompts to the hints under the prompt', async () => {
    const { app, bridge } = setup({ hints: () => [{ usage: '/help', summary: 'commands and keys' }] });
    bridge.hints = (text) => (text.startsWith('/') ? [{ usage: '/ev:args-prompt city=… [state=…]', summary: 'weather' }] : []);
    await press(app.stdin, '/');
    const frame = await frameWith(app, 'weather');
    expect(frame).toContain('/help  commands and keys');
    expect(frame).toContain('/ev:args-prompt city=… [state=…]  weather');
  });
});
