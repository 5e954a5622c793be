// Typing into ink-testing-library renders and waiting for what a person would see.
import { waitFor } from './processes.js';

export const ENTER = '\r';
export const ESC = '\u001b';
export const TAB = '\t';
export const UP = '\u001b[A';
export const DOWN = '\u001b[B';
export const RIGHT = '\u001b[C';
export const BACKSPACE = '\u007f';
export const CTRL_C = '\u0003';
export const CTRL_S = '\u0013';

export const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes each key as its own chunk, as a person typing would. */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
}

/** The last frame, with the no-break spaces that keep choices whole read as spaces. */
export function frameOf(app: { lastFrame(): string | undefined }): string {
  return (app.lastFrame() ?? '').replace(/\u00a0/g, ' ');
}

export async function frameWith(app: { lastFrame(): string | undefined }, text: string | RegExp): Promise<string> {
  await waitFor(
    () => {
      const frame = frameOf(app);
      return typeof text === 'string' ? frame.includes(text) : text.test(frame);
    },
    { timeoutMs: 2000, what: `a frame with ${String(text)}` },
  );
  return frameOf(app);
}
