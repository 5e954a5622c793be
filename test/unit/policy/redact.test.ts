// Redaction: known secret values inside any text, and credential-named fields in config objects.
import { describe, expect, it } from 'vitest';
import { makeRedactor, redactConfig } from '../../../src/policy/redact.js';

describe('makeRedactor', () => {
  it('replaces every occurrence of each secret', () => {
    const redact = makeRedactor(['s3cr3t-value', 'tok-abc']);
    expect(redact('a s3cr3t-value and tok-abc, again s3cr3t-value')).toBe('a *** and ***, again ***');
  });

  it('masks the longest secret first so no fragment of it survives', () => {
    const redact = makeRedactor(['abcd', 'abcdefgh']);
    expect(redact('key=abcdefgh;short=abcd')).toBe('key=***;short=***');
  });

  it('ignores secrets shorter than 4 characters and treats regex characters literally', () => {
    const redact = makeRedactor(['abc', '', 'a.b*c+d', '$(x)']);
    expect(redact('abc a.b*c+d aXbbc+d $(x)')).toBe('abc *** aXbbc+d ***');
  });

  it('is the identity with no usable secrets', () => {
    expect(makeRedactor([])('nothing to hide')).toBe('nothing to hide');
  });
});

describe('redactConfig', () => {
  it('returns a deep copy with secrets and credential-named values masked', () => {
    const input = {
      model: { name: 'gpt', apiKey: 'sk-literal', maxOutputTokens: 100 },
      mcpServers: {
        crm: { url: 'http://127.0.0.1:3333/mcp?k=envsecret', headers: { Authorization: 'Bearer abc', Accept: 'json' } },
        gh: { command: 'gh', args: ['--token', 'envsecret'], env: { GITHUB_TOKEN: 'x', LOG: 'debug', DB_PASSWORD: 'pw' } },
      },
      list: [1, null, true, 'envsecret'],
    };
    const out = redactConfig(input, ['envsecret']);
    expect(out).toEqual({
      model: { name: 'gpt', apiKey: '***', maxOutputTokens: 100 },
      mcpServers: {
        crm: { url: 'http://127.0.0.1:3333/mcp?k=***', headers: { Authorization: '***', Accept: 'json' } },
        gh: { command: 'gh', args: ['--token', '***'], env: { GITHUB_TOKEN: '***', LOG: 'debug', DB_PASSWORD: '***' } },
      },
      list: [1, null, true, '***'],
    });
    // The input is untouched.
    expect(input.mcpServers.crm.headers.Authorization).toBe('Bearer abc');
    expect(input.list[3]).toBe('envsecret');
  });
});
