// The scripted OpenAI-compatible server itself, seen with plain fetch: the wire format other tests rely on.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel, type ScriptedModel } from '../../fixtures/openai/scripted-server.mjs';

let server: ScriptedModel | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function post(baseURL: string, body: unknown): Promise<Response> {
  return fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: JSON.stringify(body),
  });
}

function dataLines(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

describe('scripted OpenAI-compatible server', () => {
  it('streams SSE chunks the way OpenAI does: role, content, tool-call fragments, finish, usage, [DONE]', async () => {
    server = await startScriptedModel([
      {
        text: ['a', 'b'],
        toolCalls: [{ id: 'call_x', name: 't__x', arguments: { q: 'hello world' } }],
        usage: { prompt_tokens: 9, completion_tokens: 4 },
      },
    ]);
    const res = await post(server.baseURL, { model: 'm', messages: [], stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const lines = dataLines(await res.text());
    expect(lines.at(-1)).toBe('[DONE]');
    const chunks = lines.slice(0, -1).map(
      (l) =>
        JSON.parse(l) as {
          object: string;
          choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }>;
          usage?: unknown;
        },
    );
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: 'assistant' });
    expect(chunks[1]?.choices[0]?.delta).toEqual({ content: 'a' });
    expect(chunks[3]?.choices[0]?.delta).toEqual({
      tool_calls: [{ index: 0, id: 'call_x', type: 'function', function: { name: 't__x', arguments: '' } }],
    });
    const fragments = chunks
      .slice(4, -2)
      .map((c) => (c.choices[0]?.delta.tool_calls as Array<{ function: { arguments: string } }>)[0]?.function.arguments);
    expect(fragments.length).toBeGreaterThan(1);
    expect(fragments.join('')).toBe('{"q":"hello world"}');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } });
  });

  it('answers non-streaming requests with one completion, and GET /models with one model', async () => {
    server = await startScriptedModel([{ text: 'hi', toolCalls: [{ name: 't__y', arguments: '{"bad": ' }] }]);
    const body = (await (await post(server.baseURL, { model: 'm', messages: [] })).json()) as {
      choices: Array<{ message: { content: string; tool_calls: Array<{ function: { arguments: string } }> }; finish_reason: string }>;
    };
    expect(body.choices[0]?.message.content).toBe('hi');
    expect(body.choices[0]?.message.tool_calls[0]?.function.arguments).toBe('{"bad": ');
    expect(body.choices[0]?.finish_reason).toBe('tool_calls');
    const models = (await (await fetch(`${server.baseURL}/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data).toHaveLength(1);
  });

  it('answers error steps with the status, an OpenAI error body and retry-after', async () => {
    server = await startScriptedModel([{ error: { status: 429, message: 'slow down', code: 'rate_limit_exceeded', retryAfter: 2 } }]);
    const res = await post(server.baseURL, { model: 'm', messages: [] });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toEqual({
      error: { message: 'slow down', type: 'invalid_request_error', param: null, code: 'rate_limit_exceeded' },
    });
  });

  it('records every request (path, query, headers, body) and takes steps from a function', async () => {
    server = await startScriptedModel((req, index) => ({ text: `#${index} ${String(req.body.model)}` }), { name: 'fn-script' });
    await (await post(`${server.baseURL}`, { model: 'first', messages: [] })).text();
    await (
      await fetch(`${server.baseURL.replace('/v1', '/openai/v1')}/chat/completions?api-version=x`, {
        method: 'POST',
        body: JSON.stringify({ model: 'second', messages: [] }),
      })
    ).text();
    expect(server.chatRequests().map((r) => [r.path, r.query, r.body.model])).toEqual([
      ['/v1/chat/completions', {}, 'first'],
      ['/openai/v1/chat/completions', { 'api-version': 'x' }, 'second'],
    ]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer k');
  });

  it('fails loudly past the end of the script, naming the fixture', async () => {
    server = await startScriptedModel([], { name: 'my-fixture' });
    const res = await post(server.baseURL, { model: 'm', messages: [] });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /my-fixture: script exhausted: got chat request #1 but the script has 0 step/,
    );
  });

  it('runs as a process from a JSON script and prints `listening <baseURL>`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripted-'));
    const file = join(dir, 'script.json');
    writeFileSync(file, JSON.stringify([{ text: 'from the cli' }]));
    const cli = fileURLToPath(new URL('../../fixtures/openai/cli.mjs', import.meta.url));
    const child = spawn(process.execPath, [cli, file], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const baseURL = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stderr }).on('line', (line) => {
          if (line.startsWith('listening ')) resolve(line.slice('listening '.length));
        });
        child.once('exit', (code) => reject(new Error(`cli exited with ${String(code)}`)));
      });
      const text = await (await post(baseURL, { model: 'm', messages: [] })).json();
      expect(text).toMatchObject({ choices: [{ message: { content: 'from the cli' } }] });
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
