// The audit writer: one JSON line per record, appended, private to the user, with arguments reduced to a
// hash of their canonical JSON so the same call hashes the same whatever the key order.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, canonicalJson, hashArgs } from '../../../src/policy/audit-log.js';
import { AppError } from '../../../src/errors.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-audit-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('canonicalJson / hashArgs', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('hashes equal arguments equally regardless of key order, and different ones differently', () => {
    expect(hashArgs({ query: 'anh', limit: 5 })).toBe(hashArgs({ limit: 5, query: 'anh' }));
    expect(hashArgs({ query: 'anh' })).not.toBe(hashArgs({ query: 'binh' }));
    expect(hashArgs({ x: 1 })).toBe(createHash('sha256').update('{"x":1}').digest('hex'));
    expect(hashArgs(undefined)).toBe(hashArgs({}));
  });
});

describe('AuditLog', () => {
  it('appends one JSON line per record with the hash, never the raw arguments', () => {
    const file = join(tempDir(), 'nested', 'audit.jsonl');
    const log = AuditLog.open(file, { now: () => new Date('2025-01-20T08:00:00.000Z') });
    const entry = log.record({
      client: 'alice',
      server: 'crm',
      tool: 'search_contacts',
      args: { query: 'secret-value-123' },
      outcome: 'ok',
      durationMs: 12.6,
    });
    log.record({
      client: 'bob',
      tool: 'create_opportunity',
      args: {},
      outcome: 'denied',
      durationMs: 0,
      reason: 'missing scope tool:create_opportunity',
    });
    log.close();

    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('secret-value-123');
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      {
        time: '2025-01-20T08:00:00.000Z',
        client: 'alice',
        server: 'crm',
        tool: 'search_contacts',
        argsSha256: hashArgs({ query: 'secret-value-123' }),
        outcome: 'ok',
        durationMs: 13,
      },
      {
        time: '2025-01-20T08:00:00.000Z',
        client: 'bob',
        tool: 'create_opportunity',
        argsSha256: hashArgs({}),
        outcome: 'denied',
        durationMs: 0,
        reason: 'missing scope tool:create_opportunity',
      },
    ]);
    expect(entry.argsSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates the file readable by its owner only', () => {
    const file = join(tempDir(), 'audit.jsonl');
    AuditLog.open(file).close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps earlier lines when reopened', () => {
    const file = join(tempDir(), 'audit.jsonl');
    writeFileSync(file, '{"earlier":true}\n');
    const log = AuditLog.open(file);
    log.record({ client: 'c', tool: 't', args: { a: 1 }, outcome: 'error', durationMs: 1 });
    log.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('{"earlier":true}');
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ client: 'c', outcome: 'error' });
  });

  it('refuses to write after close, and reports an unwritable path as an AppError', () => {
    const dir = tempDir();
    const log = AuditLog.open(join(dir, 'a.jsonl'));
    log.close();
    expect(() => log.record({ client: 'c', tool: 't', args: {}, outcome: 'ok', durationMs: 0 })).toThrow(/closed/);
    writeFileSync(join(dir, 'file'), '');
    expect(() => AuditLog.open(join(dir, 'file', 'audit.jsonl'))).toThrow(AppError);
  });
});
