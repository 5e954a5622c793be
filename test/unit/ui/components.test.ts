// The chat's components rendered with ink-testing-library: tool call states, the approval dialog's
// choices and defaults, Markdown, the status bar, and the prompt (editing, history, completion, keys).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../src/agent/approvals.js';
import type { ApprovalChoice } from '../../../src/agent/interactive-approvals.js';
import { ApprovalDialog } from '../../../src/ui/dialogs/ApprovalDialog.js';
import { PromptHistory } from '../../../src/ui/input/history.js';
import { Input, type InputProps } from '../../../src/ui/input/Input.js';
import { Markdown } from '../../../src/ui/components/Markdown.js';
import { loadMarkdown } from '../../../src/ui/components/use-markdown.js';
import { StatusBar } from '../../../src/ui/components/StatusBar.js';
import { ToolCall } from '../../../src/ui/components/ToolCall.js';
import type { ToolCallEntry } from '../../../src/ui/state/transcript.js';
import { ENTER, ESC, UP, DOWN, press, frameWith } from '../../helpers/ink.js';
import { waitFor } from '../../helpers/processes.js';
import { withDuration } from '../../helpers/time.js';

afterEach(() => cleanup());

function tool(extra: Partial<ToolCallEntry> = {}): ToolCallEntry {
  return {
    kind: 'tool',
    id: 1,
    seq: 3,
    callId: 'c',
    server: 'db',
    tool: 'query',
    args: { sql: 'select count(*) from customers' },
    status: 'running',
    startedAt: Date.now(),
    direct: false,
    ...extra,
  };
}

describe('ToolCall', () => {
  it('running: spinner, server › tool, the argument summary and elapsed time', async () => {
    const app = render(h(ToolCall, { entry: tool({ startedAt: Date.now() - 2500 }), width: 100 }));
    const frame = await frameWith(app, 'db › query');
    expect(frame).toMatch(withDuration(String.raw`^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] db › query {2}sql: "select count\(\*\) from customers" · <duration>`));
  });

  it('progress notifications draw a bar with the count and message', () => {
    const app = render(h(ToolCall, { entry: tool({ progress: { progress: 2, total: 4, message: 'step 2 of 4' } }), width: 100 }));
    expect(app.lastFrame()).toMatch(/█+░+ 2\/4 step 2 of 4/);
  });

  it('ok: a check mark, the duration and a short preview of the result', () => {
    const app = render(h(ToolCall, { entry: tool({ status: 'ok', durationMs: 42, result: 'count\n-----\n12\n(1 row)' }), width: 100 }));
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('✓ db › query  sql: "select count(*) from customers" · 42ms (/expand 3)');
    expect(frame).toContain('└ count\n    12');
    expect(frame).not.toContain('-----');
    expect(frame).not.toContain('(1 row)');
  });

  it('error: a cross and the error text', () => {
    const app = render(h(ToolCall, { entry: tool({ status: 'error', durationMs: 1500, result: 'no such table: custmers' }), width: 100 }));
    expect(app.lastFrame()).toContain('✗ db › query');
    expect(app.lastFrame()).toContain('· 1.5s');
    expect(app.lastFrame()).toContain('└ no such table: custmers');
  });

  it('denied: the reason instead of a result', () => {
    const app = render(
      h(ToolCall, { entry: tool({ status: 'denied', durationMs: 10, result: 'the user denied it: not now' }), width: 100 }),
    );
    expect(app.lastFrame()).toContain('⊘ db › query');
    expect(app.lastFrame()).toContain('└ denied: the user denied it: not now');
  });

  it('waiting for approval and cancelled say so', () => {
    expect(render(h(ToolCall, { entry: tool({ status: 'awaiting_approval' }), width: 100 })).lastFrame()).toContain('? db › query');
    expect(render(h(ToolCall, { entry: tool({ status: 'awaiting_approval' }), width: 100 })).lastFrame()).toContain('waiting for approval');
    expect(render(h(ToolCall, { entry: tool({ status: 'cancelled' }), width: 100 })).lastFrame()).toMatch(/^■ db › query .* · cancelled$/);
  });

  it('a direct /call shows its whole result; at 40 columns the arguments get their own line', () => {
    const result = Array.from({ length: 10 }, (_, i) => `row ${i}`).join('\n');
    const frame = render(h(ToolCall, { entry: tool({ status: 'ok', durationMs: 3, result, direct: true }), width: 40 })).lastFrame() ?? '';
    expect(frame).toContain('row 9');
    const lines = frame.split('\n');
    expect(lines[0]).toBe('✓ db › query · 3ms (/expand 3)');
    expect(lines[1]).toMatch(/^ {2}sql: "select count\(\*\) from \S*…$/);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
  });
});

function approvalRequest(annotations?: ApprovalRequest['annotations']): ApprovalRequest {
  return {
    callId: 'c1',
    name: 'files__write_file',
    server: 'files',
    tool: 'write_file',
    args: { path: 'notes.txt', content: 'hello\nworld' },
    ...(annotations ? { annotations } : {}),
  };
}

function dialog(annotations?: ApprovalRequest['annotations']): {
  app: ReturnType<typeof render>;
  answers: ApprovalChoice[];
  interrupts: number[];
} {
  const answers: ApprovalChoice[] = [];
  const interrupts: number[] = [];
  const app = render(
    h(ApprovalDialog, {
      request: approvalRequest(annotations),
      onAnswer: (c: ApprovalChoice) => answers.push(c),
      onInterrupt: () => interrupts.push(1),
      width: 90,
    }),
  );
  return { app, answers, interrupts };
}

describe('ApprovalDialog', () => {
  it('shows the tool, its full arguments, the server hints and the four choices', () => {
    const frame = dialog({ destructiveHint: true }).app.lastFrame() ?? '';
    expect(frame).toContain('Allow this tool call?');
    expect(frame).toContain('files › write_file  (files__write_file)');
    expect(frame).toContain('destructive: the server says this tool may delete or overwrite things');
    expect(frame).toContain('"path": "notes.txt"');
    expect(frame).toContain('"content": "hello\\nworld"');
    for (const choice of [
      '1. Allow once (y)',
      '2. Allow write_file for this session (t)',
      '3. Allow every files tool for this session (s)',
      '4. Always allow write_file (saved in your user config) (a)',
      '5. Deny (n)',
    ])
      expect(frame).toContain(choice);
    expect(frame).toContain('Esc deny');
  });

  it('a destructive tool, or one without hints, starts on Deny: Enter denies', async () => {
    for (const annotations of [{ destructiveHint: true }, undefined]) {
      const { app, answers } = dialog(annotations);
      expect(app.lastFrame()).toContain('❯ 5. Deny');
      await press(app.stdin, ENTER);
      expect(answers).toEqual([{ kind: 'deny' }]);
      cleanup();
    }
  });

  it('a read-only or non-destructive tool starts on Allow once', async () => {
    for (const annotations of [{ readOnlyHint: true }, { readOnlyHint: false, destructiveHint: false }]) {
      const { app, answers } = dialog(annotations);
      expect(app.lastFrame()).toContain('❯ 1. Allow once');
      await press(app.stdin, ENTER);
      expect(answers).toEqual([{ kind: 'allow_once' }]);
      cleanup();
    }
  });

  it('letters and numbers pick a choice directly; arrows move the highlight', async () => {
    const picks: Array<[string, ApprovalChoice]> = [
      ['y', { kind: 'allow_once' }],
      ['t', { kind: 'allow_tool' }],
      ['3', { kind: 'allow_server' }],
      ['a', { kind: 'allow_always' }],
      ['n', { kind: 'deny' }],
    ];
    for (const [key, choice] of picks) {
      const { app, answers } = dialog({ destructiveHint: true });
      await press(app.stdin, key);
      expect(answers).toEqual([choice]);
      cleanup();
    }
    const { app, answers } = dialog({ destructiveHint: true });
    await press(app.stdin, UP, UP, UP);
    expect(app.lastFrame()).toContain('❯ 2. Allow write_file');
    await press(app.stdin, DOWN, ENTER);
    expect(answers).toEqual([{ kind: 'allow_server' }]);
  });

  it('Esc denies; r asks for a reason that goes with the denial; Ctrl+C interrupts', async () => {
    const esc = dialog({ readOnlyHint: true });
    await press(esc.app.stdin, ESC);
    await waitFor(() => esc.answers.length > 0, { timeoutMs: 2000 });
    expect(esc.answers).toEqual([{ kind: 'deny' }]);
    cleanup();

    const withReason = dialog();
    await press(withReason.app.stdin, 'r');
    await frameWith(withReason.app, 'reason for the model:');
    await press(withReason.app.stdin, 'use staging', ENTER);
    expect(withReason.answers).toEqual([{ kind: 'deny', reason: 'use staging' }]);
    cleanup();

    const interrupted = dialog();
    await press(interrupted.app.stdin, '\u0003');
    expect(interrupted.interrupts).toEqual([1]);
    expect(interrupted.answers).toEqual([]);
  });

  it('long arguments are cut with a count of what is left', () => {
    const request = { ...approvalRequest(), args: { rows: Array.from({ length: 40 }, (_, i) => i) } };
    const frame =
      render(
        h(ApprovalDialog, { request, onAnswer: () => undefined, onInterrupt: () => undefined, width: 80, maxArgLines: 6 }),
      ).lastFrame() ?? '';
    expect(frame).toMatch(/… \d+ more lines/);
    expect(frame).toContain('… 39 more lines');
    expect(frame).not.toMatch(/│\s+39\s/);
  });
});

describe('Markdown', () => {
  // Loaded as in the chat after its first frame (markdown-lazy.test.ts covers the moments before).
  beforeAll(async () => {
    await loadMarkdown();
  });

  it('renders Markdown as terminal text at the width', () => {
    const frame = render(h(Markdown, { text: '## Result\n\n- **12** customers\n- `3` cities', width: 60 })).lastFrame() ?? '';
    expect(frame).toContain('Result');
    expect(frame).not.toContain('##');
    expect(frame).toContain('* 12 customers');
    expect(frame).toContain('* 3 cities');
  });

  it('maxLines keeps the tail of a long live answer', () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n\n');
    const frame = render(h(Markdown, { text, width: 60, maxLines: 5 })).lastFrame() ?? '';
    expect(frame).toMatch(/^… \(\d+ lines above\)/);
    expect(frame).toContain('line 29');
    expect(frame).not.toContain('line 1\n');
  });
});

describe('StatusBar', () => {
  const servers = [
    { name: 'db', state: 'ready' as const, tools: 4 },
    { name: 'files', state: 'connecting' as const, tools: 0 },
  ];

  it('shows the model, agent, servers ready/total and token usage', () => {
    const frame = render(
      h(StatusBar, { model: 'gpt-4.1-mini', agent: 'analyst', servers, usage: { inputTokens: 1234, outputTokens: 56 }, width: 100 }),
    ).lastFrame();
    expect(frame).toBe('gpt-4.1-mini  ·  agent analyst  ·  servers 1/2  ·  tokens 1.2k in · 56 out');
  });

  it('is compact at 40 columns and says when there is no model', () => {
    const frame = render(
      h(StatusBar, { model: null, agent: null, servers, usage: { inputTokens: 0, outputTokens: 0 }, width: 40 }),
    ).lastFrame();
    expect(frame).toBe('no model · 1/2 srv · 0↑ 0↓');
  });

  it('a hint replaces the line while it is shown', () => {
    expect(
      render(
        h(StatusBar, { model: 'm', agent: null, servers, usage: { inputTokens: 0, outputTokens: 0 }, hint: 'press Ctrl+C again to exit' }),
      ).lastFrame(),
    ).toBe('press Ctrl+C again to exit');
  });
});

describe('Input', () => {
  function input(extra: Partial<InputProps> = {}): {
    app: ReturnType<typeof render>;
    sent: string[];
    interrupts: boolean[];
    exits: number[];
  } {
    const sent: string[] = [];
    const interrupts: boolean[] = [];
    const exits: number[] = [];
    const props: InputProps = {
      history: new PromptHistory(undefined),
      onSubmit: (text) => {
        sent.push(text);
        return true;
      },
      onInterrupt: (empty) => {
        interrupts.push(empty);
        return empty;
      },
      onExit: () => exits.push(1),
      width: 80,
      placeholder: 'ask anything',
      ...extra,
    };
    return { app: render(h(Input, props)), sent, interrupts, exits };
  }

  it('Enter sends the text and clears the prompt; Ctrl+J adds a line first', async () => {
    const { app, sent } = input();
    await press(app.stdin, 'h', 'i', '\n', 't', 'h', 'e', 'r', 'e');
    expect(await frameWith(app, 'there')).toContain('› hi\n  there');
    await press(app.stdin, ENTER);
    expect(sent).toEqual(['hi\nthere']);
    expect(await frameWith(app, 'ask anything')).toContain('›  ask anything');
  });

  it('↑ and ↓ walk the history, which is kept in a file across sessions', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mcpsh-input-')), 'history.jsonl');
    const first = input({ history: new PromptHistory(file) });
    await press(first.app.stdin, 'one', ENTER, 'two', ENTER);
    expect(first.sent).toEqual(['one', 'two']);
    cleanup();

    const second = input({ history: new PromptHistory(file) });
    await press(second.app.stdin, 'dra', 'ft', UP);
    expect(await frameWith(second.app, 'two')).toContain('› two');
    await press(second.app.stdin, UP);
    expect(await frameWith(second.app, 'one')).toContain('› one');
    await press(second.app.stdin, DOWN, DOWN);
    expect(await frameWith(second.app, 'draft')).toContain('› draft');
  });

  it('text refused by onSubmit stays in the prompt', async () => {
    const { app } = input({ onSubmit: () => false });
    await press(app.stdin, 'wait', ENTER);
    expect(app.lastFrame()).toContain('› wait');
  });

  it('Ctrl+C clears a non-empty prompt, and is handed over on an empty one; Ctrl+D exits on an empty one', async () => {
    const { app, interrupts, exits } = input();
    await press(app.stdin, 'abc', '\u0003');
    expect(await frameWith(app, 'ask anything')).not.toContain('abc');
    await press(app.stdin, '\u0003', '\u0004');
    expect(interrupts).toEqual([false, true]);
    expect(exits).toEqual([1]);
  });

  it('Tab completes through the given completer, and / shows the matching commands', async () => {
    const { app } = input({
      complete: (text) => (text === '/se' ? { text: '/servers ', candidates: [] } : { text, candidates: [] }),
      hints: (text) => (text.startsWith('/') ? [{ usage: '/servers', summary: 'each server' }] : []),
    });
    await press(app.stdin, '/', 's', 'e');
    expect(await frameWith(app, 'each server')).toContain('/servers  each server');
    await press(app.stdin, '\t');
    expect(await frameWith(app, '› /servers')).toContain('› /servers');
  });

  it('a large paste shows as a placeholder and is sent in full', async () => {
    const { app, sent } = input();
    const big = Array.from({ length: 20 }, (_, i) => `pasted line ${i}`).join('\r');
    await press(app.stdin, '\u001b[200~', big, '\u001b[201~');
    expect(await frameWith(app, 'pasted text #1')).toContain('[pasted text #1: 20 lines');
    await press(app.stdin, ENTER);
    expect(sent).toEqual([big.replace(/\r/g, '\n')]);
  });
});
