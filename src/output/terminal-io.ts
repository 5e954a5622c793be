// The output boundary of the commands that print for people (tools, call, doctor, ask, …): their Io with
// stdout and stderr passing every write through `safeText`, so nothing a server, a model or a config put
// in the text reaches the terminal as a control sequence, whichever line of code printed it. mcpsh's own
// text outside the chat carries no escapes, and JSON written with `jsonText` passes unchanged.
import { StringDecoder } from 'node:string_decoder';
import type { Io } from '../io.js';
import { safeText } from './safe-text.js';

const SAFE = Symbol('mcpsh.safeStream');

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
type WriteCallback = (err?: Error | null) => void;

/** `io` with its output streams made safe (idempotent: an Io already wrapped is returned as is). */
export function textIo(io: Io): Io {
  if (isSafe(io.stdout) && isSafe(io.stderr)) return io;
  return { ...io, stdout: safeStream(io.stdout), stderr: safeStream(io.stderr) };
}

export function isSafe(stream: object): boolean {
  return (stream as { [SAFE]?: boolean })[SAFE] === true;
}

/**
 * The same stream (isTTY, columns, events, `end`) with `write` sanitising first. Writes stay synchronous
 * pass-throughs, so ordering and flushing at exit are exactly those of the stream underneath.
 */
export function safeStream<T extends Stream>(target: T): T {
  if (isSafe(target)) return target;
  // Bytes are decoded as a stream: a UTF-8 character split across two Buffers is not mangled.
  const decoder = new StringDecoder('utf8');
  const toText = (chunk: unknown): string => {
    if (typeof chunk === 'string') return chunk;
    if (chunk instanceof Uint8Array) return decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    return String(chunk);
  };
  const write = (chunk: unknown, encoding?: BufferEncoding | WriteCallback, cb?: WriteCallback): boolean => {
    const callback = typeof encoding === 'function' ? encoding : cb;
    const text = safeText(toText(chunk));
    return callback ? target.write(text, callback) : target.write(text);
  };
  const end = (chunk?: unknown, encoding?: BufferEncoding | WriteCallback, cb?: WriteCallback): T => {
    const callback = typeof chunk === 'function' ? (chunk as WriteCallback) : typeof encoding === 'function' ? encoding : cb;
    const text = chunk === undefined || typeof chunk === 'function' ? '' : safeText(toText(chunk));
    const rest = text + safeText(decoder.end());
    if (rest !== '') target.write(rest);
    if (callback) target.end(callback);
    else target.end();
    return proxy;
  };
  const proxy = new Proxy(target, {
    get(t, prop) {
      if (prop === SAFE) return true;
      if (prop === 'write') return write;
      if (prop === 'end') return end;
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
  return proxy;
}
