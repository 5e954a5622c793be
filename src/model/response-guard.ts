// What reaches the `openai` client from a model endpoint passes here first: JSON nested deeper than
// MAX_JSON_DEPTH ends the response with a clear error (the client would overflow the stack on it), a
// line without end is bounded, and the client's own console output goes to mcpsh's debug log instead.
import { debugLog } from '../debug-log.js';
import { MAX_JSON_DEPTH, nestedTooDeep } from '../json-depth.js';
import { ModelError } from './errors.js';

/** The longest SSE line accepted (a chunk never needs this much); a longer one ends the response. */
export const MAX_SSE_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;

/** A fetch for the openai client: responses are screened as they stream (see the module comment). */
export function screeningFetch(base: typeof fetch = fetch, maxDepth: number = MAX_JSON_DEPTH): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (!response.body) return response;
    const sse = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    // An answer streaming in (every turn): the openai client reads it through the body's async iterator, so
    // the screen sits there, with no second stream per response. Anything else (errors, JSON bodies, read
    // with text() or json()) goes through a screened copy of the body, whatever reads it.
    if (sse && response.ok) {
      screenIteration(response.body, sseScreen(maxDepth));
      return response;
    }
    const screened = screenedBody(response.body, sse ? sseScreen(maxDepth) : jsonScreen(maxDepth));
    const copy = new Response(screened, { status: response.status, statusText: response.statusText, headers: response.headers });
    // The client names the URL in its errors; a constructed Response has none of its own.
    Object.defineProperty(copy, 'url', { value: response.url });
    return copy;
  };
}

/** What passes a screen: `emit` gets the bytes to pass on, in order; an Error ends the body. */
interface Screen {
  push(chunk: Uint8Array, emit: (bytes: Uint8Array) => void): Error | undefined;
  end(emit: (bytes: Uint8Array) => void): void;
}

/**
 * The body read through `screen`: one stream that pulls from the endpoint's as the client reads, not a
 * TransformStream piped in between (two more streams and a pipe per response, a cost paid on every turn).
 */
function screenedBody(body: ReadableStream<Uint8Array>, screen: Screen): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let passed = false;
      const emit = (bytes: Uint8Array): void => {
        passed = true;
        controller.enqueue(bytes);
      };
      // Until something passes: a pull that enqueues nothing is not called again.
      while (!passed) {
        const { done, value } = await reader.read();
        if (done) {
          screen.end(emit);
          controller.close();
          return;
        }
        const failed = screen.push(value, emit);
        if (failed) {
          controller.error(failed);
          void reader.cancel(failed).catch(() => undefined);
          return;
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** `for await` over the body (how the openai client reads a stream) yields only what passes `screen`. */
function screenIteration(body: ReadableStream<Uint8Array>, screen: Screen): void {
  Object.defineProperty(body, Symbol.asyncIterator, { configurable: true, value: () => screenedChunks(body, screen) });
}

async function* screenedChunks(body: ReadableStream<Uint8Array>, screen: Screen): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const passed: Uint8Array[] = [];
      const emit = (bytes: Uint8Array): void => void passed.push(bytes);
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        screen.end(emit);
        yield* passed;
        return;
      }
      // As with the screened copy: what came with a chunk that fails is not passed on.
      const failed = screen.push(value, emit);
      if (failed) throw failed;
      yield* passed;
    }
  } finally {
    // Stopped early (the client is done, or the screen refused): the endpoint's body is not read further.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function tooDeep(maxDepth: number): ModelError {
  return new ModelError('bad_response', `the model endpoint sent ${nestedTooDeep(maxDepth)}; mcpsh stopped reading the response`, {
    hint: 'check that model.baseURL is an OpenAI-compatible API; a well-behaved endpoint never nests JSON this deep',
  });
}

/** Bracket depth outside strings, carried across chunks; bytes of multi-byte UTF-8 are never ASCII. */
class DepthScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly max: number) {}

  /** False as soon as the nesting passes the bound. */
  scan(bytes: Uint8Array, from = 0, to = bytes.length): boolean {
    for (let i = from; i < to; i++) {
      const c = bytes[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
      } else if (c === 0x22) this.inString = true;
      else if (c === 0x5b || c === 0x7b) {
        if (++this.depth > this.max) return false;
      } else if (c === 0x5d || c === 0x7d) this.depth--;
    }
    return true;
  }

  reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
}

/** A JSON (error) body: one value, measured whole. */
function jsonScreen(maxDepth: number): Screen {
  const scanner = new DepthScanner(maxDepth);
  return {
    push(chunk, emit) {
      if (!scanner.scan(chunk)) return tooDeep(maxDepth);
      emit(chunk);
      return undefined;
    },
    end() {},
  };
}

/**
 * An event stream, line by line: each `data:` line is one JSON value, measured on its own. Lines naming an
 * `event: thread.*` are dropped: Chat Completions never sends them, and for them the client writes raw
 * chunks to the console when they do not parse. Whole lines pass on together, as they came.
 */
function sseScreen(maxDepth: number): Screen {
  const scanner = new DepthScanner(maxDepth);
  // The start of a line not yet ended: measured as it comes, passed on whole once it ends.
  let parts: Uint8Array[] = [];
  let partsBytes = 0;
  return {
    push(chunk, emit) {
      let start = 0;
      // Where the bytes still to pass on from this chunk begin (lines that passed the screen, not yet emitted).
      let run = 0;
      for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        if (!scanner.scan(chunk, start, nl + 1)) return tooDeep(maxDepth);
        scanner.reset();
        if (parts.length > 0) {
          const line = concat([...parts, chunk.subarray(start, nl + 1)]);
          parts = [];
          partsBytes = 0;
          if (!isThreadEvent(line)) emit(line);
          run = nl + 1;
        } else if (isThreadEvent(chunk.subarray(start, nl + 1))) {
          if (start > run) emit(chunk.subarray(run, start));
          run = nl + 1;
        }
        start = nl + 1;
      }
      if (start > run) emit(chunk.subarray(run, start));
      const rest = chunk.subarray(start);
      if (rest.length === 0) return undefined;
      if (!scanner.scan(rest)) return tooDeep(maxDepth);
      parts.push(rest);
      partsBytes += rest.length;
      if (partsBytes > MAX_SSE_LINE_BYTES) {
        return new ModelError(
          'bad_response',
          `the model endpoint sent a line over ${MAX_SSE_LINE_BYTES / 1024 / 1024} MB without an end; mcpsh stopped reading it`,
        );
      }
      return undefined;
    },
    end(emit) {
      if (parts.length > 0) {
        const line = concat(parts);
        parts = [];
        if (!isThreadEvent(line)) emit(line);
      }
    },
  };
}

const THREAD_EVENT = /^event: ?thread\./;

function isThreadEvent(line: Uint8Array): boolean {
  // Only the first bytes matter; "event:" lines are short.
  return line[0] === 0x65 /* e */ && THREAD_EVENT.test(Buffer.from(line.subarray(0, 20)).toString('latin1'));
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/**
 * The openai client's logger: its errors and warnings (malformed chunks, odd settings) go to the debug
 * log when one is on, and nowhere else; mcpsh reports failures itself, in its own words.
 */
export const openaiLogger = {
  error: (...args: unknown[]): void => note('error', args),
  warn: (...args: unknown[]): void => note('warn', args),
  info: (...args: unknown[]): void => note('info', args),
  debug: (...args: unknown[]): void => note('debug', args),
};

function note(level: string, args: unknown[]): void {
  if (!debugLog.enabled) return;
  debugLog.note('openai client', { level, message: args.map(describe).join(' ').slice(0, 2000) });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
