// The redaction walkers recurse, so they stop at a depth bound instead of overflowing the stack.
import { describe, expect, it } from 'vitest';
import { addSecrets, MAX_REDACT_DEPTH, redactConfig, redactValue, TOO_DEEP_MARKER } from '../../../src/policy/redact.js';

const deep = JSON.parse(`${'['.repeat(100_000)}"sk-secret-value"${']'.repeat(100_000)}`) as unknown;

describe('redaction of values nested very deep', () => {
  it('redactValue: no stack overflow; past the bound the value is a marker, and the copy serialises', () => {
    addSecrets(['sk-secret-value']);
    const out = redactValue({ a: deep });
    const text = JSON.stringify(out);
    expect(text).toContain(TOO_DEEP_MARKER);
    expect(text).not.toContain('sk-secret-value');
    expect(text.startsWith(`{"a":${'['.repeat(MAX_REDACT_DEPTH - 1)}"${TOO_DEEP_MARKER}"]`)).toBe(true);
  });

  it('redactConfig: the same bound; shallow values are untouched but for secrets', () => {
    expect(JSON.stringify(redactConfig(deep, ['sk-secret-value']))).toContain(TOO_DEEP_MARKER);
    expect(redactConfig({ env: { API_TOKEN: 'x' }, args: ['sk-secret-value'] }, ['sk-secret-value'])).toEqual({
      env: { API_TOKEN: '***' },
      args: ['***'],
    });
  });
});
