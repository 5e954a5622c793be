// interactiveApprovals without any UI: rules first, then session allowances, then one prompt at a time.
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../src/agent/approvals.js';
import { interactiveApprovals, SessionAllowances, type ApprovalChoice, type AskPerson } from '../../../src/agent/interactive-approvals.js';
import { mergeRules } from '../../../src/policy/permissions.js';

function request(name: string, extra: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const [server = '', tool = ''] = name.split('__');
  return { callId: `call-${name}-${Math.random()}`, name, server, tool, args: { x: 1 }, ...extra };
}

/** An `ask` that records each prompt and answers from a list. */
function scriptedAsk(answers: ApprovalChoice[]): AskPerson & { asked: string[] } {
  const asked: string[] = [];
  const fn = (req: ApprovalRequest): Promise<ApprovalChoice> => {
    asked.push(req.name);
    return Promise.resolve(answers.shift() ?? { kind: 'deny', reason: 'script ran out' });
  };
  return Object.assign(fn, { asked });
}

const signal = new AbortController().signal;

describe('interactiveApprovals', () => {
  it('allow and deny rules decide without asking', async () => {
    const ask = scriptedAsk([]);
    const approve = interactiveApprovals({ rules: mergeRules({ allow: ['db__query'], deny: ['files__write_*'] }), ask });
    expect(await approve(request('db__query'), signal)).toMatchObject({ allow: true, by: { kind: 'rule', rule: 'db__query' } });
    expect(await approve(request('files__write_file'), signal)).toEqual({
      allow: false,
      reason: 'denied by the permission rule "files__write_*"',
      by: { kind: 'rule', rule: 'files__write_*' },
    });
    expect(ask.asked).toEqual([]);
  });

  it('an ask rule or an unmatched tool asks the person', async () => {
    const ask = scriptedAsk([{ kind: 'allow_once' }, { kind: 'deny' }]);
    const approve = interactiveApprovals({ rules: mergeRules({ ask: ['db__insert_record'] }), ask });
    expect(await approve(request('db__insert_record'), signal)).toMatchObject({ allow: true });
    expect(await approve(request('other__tool'), signal)).toMatchObject({ allow: false, reason: 'the user denied it' });
    expect(ask.asked).toEqual(['db__insert_record', 'other__tool']);
  });

  it('allow once asks again next time; allow tool does not ask again for that tool only', async () => {
    const ask = scriptedAsk([{ kind: 'allow_once' }, { kind: 'allow_tool' }, { kind: 'allow_once' }]);
    const approve = interactiveApprovals({ rules: mergeRules(), ask });
    await approve(request('db__insert_record'), signal);
    await approve(request('db__insert_record'), signal);
    expect(ask.asked).toHaveLength(2);
    expect(await approve(request('db__insert_record'), signal)).toMatchObject({ allow: true, by: { kind: 'user', always: true } });
    expect(ask.asked).toHaveLength(2);
    await approve(request('db__delete'), signal);
    expect(ask.asked).toEqual(['db__insert_record', 'db__insert_record', 'db__delete']);
  });

  it('allow server covers every tool of that server, and the allowances are shared and listable', async () => {
    const allowances = new SessionAllowances();
    const ask = scriptedAsk([{ kind: 'allow_server' }]);
    const approve = interactiveApprovals({ rules: mergeRules(), ask, allowances });
    await approve(request('files__write_file'), signal);
    expect(await approve(request('files__move_file'), signal)).toMatchObject({ allow: true });
    expect(ask.asked).toEqual(['files__write_file']);
    expect(allowances.list()).toEqual({ tools: [], servers: ['files'] });
    allowances.clear();
    await approve(request('files__move_file'), signal);
    expect(ask.asked).toHaveLength(2);
  });

  it('a deny rule still wins over a session allowance', async () => {
    const allowances = new SessionAllowances();
    allowances.allowServer('files');
    const approve = interactiveApprovals({ rules: mergeRules({ deny: ['files__delete'] }), ask: scriptedAsk([]), allowances });
    expect(await approve(request('files__delete'), signal)).toMatchObject({ allow: false });
  });

  it('a denial reason is passed on to the model', async () => {
    const approve = interactiveApprovals({
      rules: mergeRules(),
      ask: scriptedAsk([{ kind: 'deny', reason: '  use the staging table  ' }]),
    });
    expect(await approve(request('db__insert_record'), signal)).toMatchObject({
      allow: false,
      reason: 'the user denied it: use the staging table',
    });
  });

  it('parallel requests are asked one at a time, and "allow server" settles the ones queued behind it', async () => {
    const pending: Array<(c: ApprovalChoice) => void> = [];
    const asked: string[] = [];
    const ask: AskPerson = (req) => {
      asked.push(req.name);
      return new Promise((resolve) => pending.push(resolve));
    };
    const approve = interactiveApprovals({ rules: mergeRules(), ask });
    const first = approve(request('files__write_file'), signal);
    const second = approve(request('files__move_file'), signal);
    await new Promise((r) => setTimeout(r, 10));
    expect(asked).toEqual(['files__write_file']);
    pending[0]?.({ kind: 'allow_server' });
    expect(await first).toMatchObject({ allow: true });
    expect(await second).toMatchObject({ allow: true });
    expect(asked).toEqual(['files__write_file']);
  });

  it('onWaiting tells at once which calls need a person, including those queued behind an open prompt', async () => {
    const allowances = new SessionAllowances();
    allowances.allowTool('db__ok');
    const waiting: string[] = [];
    const pending: Array<(c: ApprovalChoice) => void> = [];
    const approve = interactiveApprovals({
      rules: mergeRules({ allow: ['db__query'] }),
      ask: () => new Promise((resolve) => pending.push(resolve)),
      allowances,
      onWaiting: (r) => waiting.push(r.name),
    });
    const calls = [
      approve(request('db__a'), signal),
      approve(request('db__b'), signal),
      approve(request('db__query'), signal),
      approve(request('db__ok'), signal),
    ];
    expect(waiting).toEqual(['db__a', 'db__b']);
    await new Promise((r) => setTimeout(r, 10));
    pending[0]?.({ kind: 'allow_server' });
    expect((await Promise.all(calls)).map((d) => d.allow)).toEqual([true, true, true, true]);
  });

  it('cancelling the run answers an open prompt with a denial and frees the queue', async () => {
    const controller = new AbortController();
    const ask: AskPerson = () => new Promise(() => undefined);
    const approve = interactiveApprovals({ rules: mergeRules(), ask });
    const open = approve(request('db__insert_record'), controller.signal);
    const queued = approve(request('db__other'), controller.signal);
    controller.abort();
    expect(await open).toMatchObject({ allow: false, reason: 'the run was cancelled before anyone answered' });
    expect(await queued).toMatchObject({ allow: false });
  });

  it('autoAllowReadOnly allows an unmatched read-only tool but never overrides a rule', async () => {
    const ask = scriptedAsk([{ kind: 'deny' }]);
    const approve = interactiveApprovals({ rules: mergeRules({ ask: ['db__query'] }), ask, autoAllowReadOnly: true });
    expect(await approve(request('db__list', { annotations: { readOnlyHint: true } }), signal)).toMatchObject({
      allow: true,
      by: { kind: 'readOnlyHint' },
    });
    expect(await approve(request('db__query', { annotations: { readOnlyHint: true } }), signal)).toMatchObject({ allow: false });
    expect(ask.asked).toEqual(['db__query']);
  });
});

describe('always allow', () => {
  it('allows the tool for the session and hands the rule to be saved', async () => {
    const saved: string[] = [];
    const asked: string[] = [];
    const port = interactiveApprovals({
      rules: { allow: [], ask: [], deny: [] },
      ask: (request) => {
        asked.push(request.name);
        return Promise.resolve({ kind: 'allow_always' });
      },
      saveRule: (name) => saved.push(name),
    });
    const request = { callId: 'c1', name: 'db__query', server: 'db', tool: 'query', args: {} };
    expect(await port(request, new AbortController().signal)).toMatchObject({ allow: true });
    expect(await port({ ...request, callId: 'c2' }, new AbortController().signal)).toMatchObject({ allow: true });
    expect(saved).toEqual(['db__query']);
    expect(asked).toEqual(['db__query']);
  });
});
