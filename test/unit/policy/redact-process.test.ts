// The process-wide redactor: secrets registered once are masked in text, in nested values (JSON output,
// log lines), in errors, and in text that arrives in pieces with a secret split across them.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { addSecrets, createStreamRedactor, redact, redactError, redactValue } from '../../../src/policy/redact.js';

// One registry per process: vitest runs each file in its own worker, so these secrets stay in this file.
addSecrets(['tok-2f9a7c1e', 'Bearer tok-2f9a7c1e', 'p@ss"word\\x', undefined, 'abc']);

describe('process-wide redaction', () => {
  it('masks every registered secret in text, and ignores values too short to be secrets', () => {
    expect(redact('Authorization: Bearer tok-2f9a7c1e; again tok-2f9a7c1e')).toBe('Authorization: ***; again ***');
    expect(redact('abc stays')).toBe('abc stays');
  });

  it('masks inside nested values, keys included, so JSON escaping cannot hide a secret', () => {
    const value = { content: [{ type: 'text', text: 'env: p@ss"word\\x' }], ['tok-2f9a7c1e']: 1, n: 3, ok: true, none: null };
    const out = redactValue(value);
    expect(out).toEqual({ content: [{ type: 'text', text: 'env: ***' }], '***': 1, n: 3, ok: true, none: null });
    expect(JSON.stringify(out)).not.toContain('p@ss');
    // The input is left as it was.
    expect(value.content[0]?.text).toBe('env: p@ss"word\\x');
  });

  it('masks an AppError message and hint', () => {
    const err = redactError(new AppError('SERVER_UNAVAILABLE', 'server crm said 401 for tok-2f9a7c1e', { hint: 'check tok-2f9a7c1e' }));
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('SERVER_UNAVAILABLE');
    expect(err.message).toBe('server crm said 401 for ***');
    expect(err.hint).toBe('check ***');
  });

  it('masks a secret split across streamed pieces, holding back only a possible start of one', () => {
    const stream = createStreamRedactor();
    const out: string[] = [];
    for (const piece of ['The token is to', 'k-2f9', 'a7c1e, done. ', 'Plain text ', 'flows at once.']) out.push(stream.push(piece));
    out.push(stream.flush());
    expect(out.join('')).toBe('The token is ***, done. Plain text flows at once.');
    // Text that cannot start a secret is not delayed.
    expect(out[3]).toBe('Plain text ');
    expect(out[0]).toBe('The token is ');
  });

  it('flush gives back a held tail that turned out not to be a secret', () => {
    const stream = createStreamRedactor();
    expect(stream.push('ends with tok-2')).toBe('ends with ');
    expect(stream.flush()).toBe('tok-2');
  });
});
