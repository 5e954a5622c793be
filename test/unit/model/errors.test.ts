// Error classification and retry decisions on the openai client's own error classes (as it builds them).
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyModelError, ModelError, redactSecrets } from '../../../src/model/errors.js';
import { decideRetry, isRetryable, retryAfterMs } from '../../../src/model/retry.js';

const ctx = { model: 'gpt-x', baseURL: 'https://api.openai.com/v1', secrets: ['sk-live-abcdefghijklmnop'] };

function status(code: number, body: Record<string, unknown>, headers: Record<string, string> = {}): APIError {
  return APIError.generate(code, { error: body }, undefined, new Headers(headers));
}

function connection(code: string): APIConnectionError {
  const inner = Object.assign(new Error(`connect ${code}`), { code });
  return new APIConnectionError({ message: 'Connection error.', cause: new TypeError('fetch failed', { cause: inner }) });
}

function kindOf(err: unknown): string | undefined {
  const e = classifyModelError(err, ctx);
  return e instanceof ModelError ? e.kind : e.code;
}

describe('classifyModelError', () => {
  it('exits 3 for what the setup must fix (key, access, model name) and 6 for a failing or unreachable endpoint', () => {
    const exit = (err: unknown): number => classifyModelError(err, ctx).exitCode;
    expect(exit(status(401, { message: 'bad key' }))).toBe(3);
    expect(exit(status(403, { message: 'no access' }))).toBe(3);
    expect(exit(status(404, { message: 'The model `gpt-x` does not exist', code: 'model_not_found' }))).toBe(3);
    expect(exit(status(500, { message: 'boom' }))).toBe(6);
    expect(exit(status(429, { message: 'Rate limit reached' }))).toBe(6);
    expect(exit(status(404, { message: '404 page not found' }))).toBe(6);
    expect(exit(connection('ECONNREFUSED'))).toBe(6);
    expect(exit(connection('ENOTFOUND'))).toBe(6);
  });

  it('tells each provider failure apart', () => {
    expect(kindOf(status(401, { message: 'bad key' }))).toBe('auth');
    expect(kindOf(status(403, { message: 'no access' }))).toBe('permission');
    expect(
      kindOf(status(404, { message: 'The model `gpt-x` does not exist or you do not have access to it.', code: 'model_not_found' })),
    ).toBe('unknown_model');
    expect(kindOf(status(404, { message: '404 page not found' }))).toBe('not_found');
    expect(kindOf(status(400, { message: 'foo/bar is not a valid model ID' }))).toBe('unknown_model');
    expect(kindOf(status(429, { message: 'Rate limit reached' }))).toBe('rate_limit');
    expect(kindOf(status(429, { message: 'You exceeded your current quota', code: 'insufficient_quota' }))).toBe('quota');
    expect(kindOf(status(400, { message: "This model's maximum context length is 128000 tokens.", code: 'context_length_exceeded' }))).toBe(
      'context_length',
    );
    expect(kindOf(status(400, { message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens" }))).toBe(
      'context_length',
    );
    expect(kindOf(status(503, { message: 'overloaded' }))).toBe('server');
    expect(kindOf(status(400, { message: 'tools are not supported' }))).toBe('bad_request');
    expect(kindOf(connection('ECONNREFUSED'))).toBe('unreachable');
    expect(kindOf(new APIUserAbortError())).toBe('CANCELLED');
  });

  it('says what to do, and names the model and the endpoint', () => {
    const e = classifyModelError(status(404, { message: 'model "llama9" not found, try pulling it first' }), {
      model: 'llama9',
      baseURL: 'http://localhost:11434/v1',
    });
    expect(e.message).toContain('"llama9"');
    expect(e.message).toContain('http://localhost:11434/v1');
    expect(e.hint).toContain('ollama pull llama9');
    const dns = classifyModelError(connection('ENOTFOUND'), { model: 'm', baseURL: 'https://llm.example.invalid/v1' });
    expect(dns.message).toContain('llm.example.invalid');
    const refused = classifyModelError(connection('ECONNREFUSED'), { model: 'm', baseURL: 'http://localhost:11434/v1' });
    expect(refused.hint).toContain('ollama serve');
  });

  it('explains a port that fetch refuses (e.g. 6000), and does not retry it', () => {
    const err = new APIConnectionError({
      message: 'Connection error.',
      cause: new TypeError('fetch failed', { cause: new Error('bad port') }),
    });
    const e = classifyModelError(err, { model: 'm', baseURL: 'http://127.0.0.1:6000/v1' });
    expect(e.message).toMatch(/port .*fetch refuses/);
    expect(isRetryable(err)).toBe(false);
  });

  it('never shows the API key, nor key-shaped strings a provider echoes back', () => {
    const e = classifyModelError(
      status(401, { message: 'Incorrect API key provided: sk-live-abcdefghijklmnop. Also sk-proj-AbC***xyz9.' }),
      ctx,
    );
    expect(e.message).not.toContain('abcdefghijklmnop');
    expect(e.message).not.toContain('AbC');
    expect(redactSecrets('key=my-secret-header-value', ['my-secret-header-value'])).toBe('key=***');
  });
});

describe('retry decisions', () => {
  it('retries 429, 5xx, 408 and transient network errors, but not auth, quota, refused or DNS failures', () => {
    expect(isRetryable(status(429, {}))).toBe(true);
    expect(isRetryable(status(500, {}))).toBe(true);
    expect(isRetryable(status(502, {}))).toBe(true);
    expect(isRetryable(status(408, {}))).toBe(true);
    expect(isRetryable(connection('ECONNRESET'))).toBe(true);
    expect(isRetryable(status(401, {}))).toBe(false);
    expect(isRetryable(status(400, {}))).toBe(false);
    expect(isRetryable(status(429, { code: 'insufficient_quota' }))).toBe(false);
    expect(isRetryable(status(500, {}, { 'x-should-retry': 'false' }))).toBe(false);
    expect(isRetryable(connection('ECONNREFUSED'))).toBe(false);
    expect(isRetryable(connection('ENOTFOUND'))).toBe(false);
    expect(isRetryable(new APIUserAbortError())).toBe(false);
  });

  it('backs off exponentially with jitter, bounded by maxRetries and maxDelayMs', () => {
    const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 250 };
    const err = status(500, {});
    const mid = () => 0.5;
    expect(decideRetry(err, 0, policy, mid)).toEqual({ retry: true, delayMs: 100 });
    expect(decideRetry(err, 1, policy, mid)).toEqual({ retry: true, delayMs: 200 });
    expect(decideRetry(err, 2, policy, mid)).toEqual({ retry: true, delayMs: 250 });
    expect(decideRetry(err, 3, policy, mid)).toEqual({ retry: false });
    expect(decideRetry(err, 0, policy, () => 0)).toEqual({ retry: true, delayMs: 75 });
    expect(decideRetry(err, 0, policy, () => 1)).toEqual({ retry: true, delayMs: 125 });
  });

  it('honours retry-after (seconds, ms, HTTP date) and gives up at once when it is longer than the cap', () => {
    expect(retryAfterMs(status(429, {}, { 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(status(429, {}, { 'retry-after-ms': '150' }))).toBe(150);
    expect(retryAfterMs(status(429, {}, { 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6_000);
    const policy = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 30_000 };
    expect(decideRetry(status(429, {}, { 'retry-after': '2' }), 0, policy)).toEqual({ retry: true, delayMs: 2000 });
    const long = decideRetry(status(429, {}, { 'retry-after': '3600' }), 0, policy);
    expect(long).toEqual({ retry: false, reason: 'the provider asked to wait 3600 s before retrying' });
  });
});
