// The client audit log: lines written from a run's events and the approval decisions, the argument hash
// instead of the arguments, every outcome, file mode 0600, and where `auditLog` puts the file.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headlessApprovals } from '../../../src/agent/approvals.js';
import { hashArgs } from '../../../src/policy/audit-log.js';
import { AuditSubscriber, ClientAuditLog, auditLogPath, type ClientAuditEntry } from '../../../src/policy/audit-events.js';
import { mergeRules } from '../../../src/policy/permissions.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mcpsh-audit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string): ClientAuditEntry[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ClientAuditEntry);

describe('AuditSubscriber', () => {
  it('writes one line per call: decision, what decided it, outcome, duration, and only a hash of the arguments', async () => {
    const file = path.join(dir, 'nested', 'audit.jsonl');
    let t = 1000;
    const audit = new AuditSubscriber(
      ClientAuditLog.open(file, 'ask', () => new Date('2026-01-02T03:04:05.000Z')),
      () => t,
    );
    const approve = audit.approvals(headlessApprovals({ rules: mergeRules({ allow: ['db__query'], deny: ['db__drop'] }), yes: false }));
    const signal = new AbortController().signal;
    const secretArgs = { sql: 'select * from customers where email = "private@example.com"' };

    audit.onEvent({ type: 'tool_call', callId: 'a', name: 'db__query', server: 'db', tool: 'query', args: secretArgs });
    await approve({ callId: 'a', name: 'db__query', server: 'db', tool: 'query', args: secretArgs }, signal);
    audit.onEvent({ type: 'tool_result', callId: 'a', isError: false, content: [], durationMs: 42 });

    // As in a real session: the approval can be asked before the tool_call event reaches the subscriber.
    const denied = await approve({ callId: 'b', name: 'db__drop', server: 'db', tool: 'drop', args: {} }, signal);
    audit.onEvent({ type: 'tool_call', callId: 'b', name: 'db__drop', server: 'db', tool: 'drop', args: {} });
    t += 7;
    audit.onEvent({ type: 'tool_denied', callId: 'b', reason: denied.allow ? '' : denied.reason });

    // Unknown tool: rejected before any permission check.
    audit.onEvent({ type: 'tool_call', callId: 'c', name: 'db__nope', server: '', tool: 'db__nope', args: {} });
    audit.onEvent({ type: 'tool_result', callId: 'c', isError: true, content: [{ type: 'text', text: 'no such tool' }], durationMs: 1 });
    audit.close();

    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('private@example.com');
    expect(lines(file)).toEqual([
      {
        time: '2026-01-02T03:04:05.000Z',
        client: 'ask',
        server: 'db',
        tool: 'query',
        argsSha256: hashArgs(secretArgs),
        decision: 'allow',
        by: 'rule',
        rule: 'db__query',
        outcome: 'ok',
        durationMs: 42,
      },
      {
        time: '2026-01-02T03:04:05.000Z',
        client: 'ask',
        server: 'db',
        tool: 'drop',
        argsSha256: hashArgs({}),
        decision: 'deny',
        by: 'rule',
        rule: 'db__drop',
        outcome: 'denied',
        durationMs: 7,
      },
      {
        time: '2026-01-02T03:04:05.000Z',
        client: 'ask',
        server: '',
        tool: 'db__nope',
        argsSha256: hashArgs({}),
        decision: 'none',
        by: 'none',
        outcome: 'error',
        durationMs: 1,
      },
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('records --yes, tool errors, and calls cut short by cancellation', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const audit = new AuditSubscriber(ClientAuditLog.open(file, 'ask'));
    const approve = audit.approvals(headlessApprovals({ rules: mergeRules(), yes: true }));
    const run = new AbortController();

    audit.onEvent({ type: 'tool_call', callId: 'a', name: 'x__fail', server: 'x', tool: 'fail', args: { n: 1 } });
    await approve({ callId: 'a', name: 'x__fail', server: 'x', tool: 'fail', args: { n: 1 } }, run.signal);
    audit.onEvent({ type: 'tool_result', callId: 'a', isError: true, content: [], durationMs: 3 });

    audit.onEvent({ type: 'tool_call', callId: 'b', name: 'x__slow', server: 'x', tool: 'slow', args: {} });
    await approve({ callId: 'b', name: 'x__slow', server: 'x', tool: 'slow', args: {} }, run.signal);
    run.abort();
    audit.onEvent({
      type: 'tool_result',
      callId: 'b',
      isError: true,
      content: [{ type: 'text', text: 'The call was cancelled by the user.' }],
      durationMs: 9,
    });

    audit.onEvent({ type: 'tool_call', callId: 'c', name: 'x__slow', server: 'x', tool: 'slow', args: {} });
    audit.onEvent({ type: 'done', reason: 'cancelled', text: '' });
    audit.close();

    expect(lines(file).map((l) => [l.tool, l.decision, l.by, l.outcome])).toEqual([
      ['fail', 'allow', 'yes', 'error'],
      ['slow', 'allow', 'yes', 'cancelled'],
      ['slow', 'none', 'none', 'cancelled'],
    ]);
  });

  it('appends to an existing log and never rewrites earlier lines', () => {
    const file = path.join(dir, 'audit.jsonl');
    for (const tool of ['one', 'two']) {
      const log = ClientAuditLog.open(file, 'call');
      log.record({ server: 's', tool, args: {}, decision: 'allow', by: 'direct', outcome: 'ok', durationMs: 1 });
      log.close();
    }
    expect(lines(file).map((l) => [l.client, l.tool, l.by])).toEqual([
      ['call', 'one', 'direct'],
      ['call', 'two', 'direct'],
    ]);
  });
});

describe('auditLogPath', () => {
  it('is off unless set; true is audit.jsonl in the state dir; a path is used as given', () => {
    const env = { MCPSH_STATE_DIR: '/state' };
    expect(auditLogPath(undefined, env, '/cwd')).toBeUndefined();
    expect(auditLogPath(false, env, '/cwd')).toBeUndefined();
    expect(auditLogPath(true, env, '/cwd')).toBe('/state/audit.jsonl');
    expect(auditLogPath('/var/log/mcpsh.jsonl', env, '/cwd')).toBe('/var/log/mcpsh.jsonl');
  });

  it('an unwritable file is a CONFIG error that names it', () => {
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, '');
    const file = path.join(blocker, 'audit.jsonl');
    expect(() => ClientAuditLog.open(file, 'ask')).toThrow(`cannot open the audit log ${file}`);
  });
});
