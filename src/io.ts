// What a command talks to: its streams, environment, working directory and the process-wide abort signal.
// Passing these in (rather than reaching for `process`) keeps commands testable in-process.
import { createInterface } from 'node:readline';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM; everything long-running listens to it. */
  signal: AbortSignal;
}

export function processIo(signal: AbortSignal): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), signal };
}

export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Reads all of stdin as text (for `-` arguments). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads piped stdin for `ask` without ever hanging: a file or /dev/null is read to its end; a pipe is
 * read to its end only if its first bytes arrive within `firstByteMs` (a parent that leaves stdin open
 * and silent must not stall a CI job). A TTY is never read.
 */
export async function readPipedStdin(
  stream: NodeJS.ReadableStream & { isTTY?: boolean; fd?: number },
  firstByteMs: number,
): Promise<string> {
  if (stream.isTTY) return '';
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let started = false;
    let ended = false;
    const finish = (): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onEnd);
      // A silent pipe left open would keep the process alive after the answer: let it go.
      if (!ended) (stream as { destroy?: () => void }).destroy?.();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onEnd = (): void => {
      ended = true;
      finish();
    };
    const onData = (chunk: Buffer | string): void => {
      started = true;
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    };
    const timer = setTimeout(() => {
      if (!started) finish();
    }, firstByteMs);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onEnd);
    stream.resume();
  });
}

/** A yes/no question on the terminal (stderr); anything but y/yes, or the input closing, is no. */
export function askYesNo(io: Io, question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    const onAbort = (): void => rl.close();
    io.signal.addEventListener('abort', onAbort, { once: true });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
    rl.once('close', () => {
      io.signal.removeEventListener('abort', onAbort);
      if (!answered) resolve(false);
    });
  });
}
