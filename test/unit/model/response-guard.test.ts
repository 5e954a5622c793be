// The screen between a model endpoint and the openai client: bodies pass unchanged (split anywhere),
// JSON nested too deep ends the body with a model error, thread events are dropped. An answer streaming in
// is screened where the client reads it (the body's async iterator); every other body (errors, JSON) is a
// screened copy, whatever reads it.
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/model/errors.js';
import { screeningFetch } from '../../../src/model/response-guard.js';

function fetchOf(pieces: string[], contentType: string, status = 200): typeof fetch {
  return () => {
    const bytes = pieces.map((p) => new TextEncoder().encode(p));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(b);
        controller.close();
      },
    });
    return Promise.resolve(new Response(body, { status, headers: { 'content-type': contentType } }));
  };
}

/** The body as the openai client reads it: `for await` over a stream, text() for anything else. */
async function read(pieces: string[], contentType = 'text/event-stream', status = 200): Promise<string> {
  const response = await screeningFetch(fetchOf(pieces, contentType, status), 8)('http://127.0.0.1/v1/chat/completions');
  if (!contentType.includes('event-stream') || !response.ok) return response.text();
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

describe('screeningFetch', () => {
  it('passes an event stream through unchanged, however it is split', async () => {
    const text = 'data: {"a":[1,{"b":"]]]]]]]]]]"}]}\n\ndata: [DONE]\n\n';
    for (let cut = 1; cut < text.length; cut += 7) expect(await read([text.slice(0, cut), text.slice(cut)])).toBe(text);
  });

  it('a data line nested deeper than the bound ends the body with a model error', async () => {
    const deep = `data: {"x":${'['.repeat(9)}${']'.repeat(9)}}\n\n`;
    const error = await read(['data: {"ok":1}\n\n', deep.slice(0, 10), deep.slice(10)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toBe(
      'the model endpoint sent JSON nested deeper than 8 levels; mcpsh stopped reading the response',
    );
  });

  it('an error response in the event-stream type is screened for any reader (the client reads errors with text())', async () => {
    const deep = `data: {"x":${'['.repeat(9)}${']'.repeat(9)}}\n\n`;
    await expect(read([deep], 'text/event-stream', 500)).rejects.toBeInstanceOf(ModelError);
    expect(await read(['data: {"error":"busy"}\n\n'], 'text/event-stream', 503)).toBe('data: {"error":"busy"}\n\n');
  });

  it('depth is counted per line in an event stream, across the whole body otherwise', async () => {
    const lines = Array.from({ length: 20 }, () => 'data: [[[[1]]]]\n').join('');
    expect(await read([lines])).toBe(lines);
    const pretty = `${'[\n'.repeat(9)}${']\n'.repeat(9)}`;
    await expect(read([pretty], 'application/json')).rejects.toBeInstanceOf(ModelError);
  });

  it('drops thread events (the client would print their raw chunks), keeps everything else', async () => {
    expect(await read(['event: thread.message\ndata: {"a":1}\n\nevent: error\ndata: {"b":2}\n\n'])).toBe(
      'data: {"a":1}\n\nevent: error\ndata: {"b":2}\n\n',
    );
    const text = 'data: {"a":1}\n\nevent: thread.run\ndata: {"t":1}\n\nevent: done\ndata: [DONE]\n\n';
    const kept = 'data: {"a":1}\n\ndata: {"t":1}\n\nevent: done\ndata: [DONE]\n\n';
    for (let cut = 1; cut < text.length; cut += 3) expect(await read([text.slice(0, cut), text.slice(cut)])).toBe(kept);
  });

  it('the end of the reading reaches the endpoint: stopping early cancels its body, its failure fails the read', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new TextEncoder().encode('data: {"a":1}\n\n')),
      cancel: () => {
        cancelled = true;
      },
    });
    const response = await screeningFetch(() =>
      Promise.resolve(new Response(endless, { headers: { 'content-type': 'text/event-stream' } })),
    )('http://127.0.0.1/v1');
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    expect(cancelled).toBe(true);

    const broken = new ReadableStream<Uint8Array>({
      start: (controller) => {
        controller.enqueue(new TextEncoder().encode('data: {"a":1}\n\n'));
        controller.error(new Error('connection reset'));
      },
    });
    const failing = await screeningFetch(() => Promise.resolve(new Response(broken, { headers: { 'content-type': 'text/event-stream' } })))(
      'http://127.0.0.1/v1',
    );
    const chunks = async (): Promise<void> => {
      for await (const _chunk of failing.body as unknown as AsyncIterable<Uint8Array>) {
        // read to the end
      }
    };
    await expect(chunks()).rejects.toThrow('connection reset');
  });
});
