// The chat's questions for a config's `${input:id}` values (VS Code's `inputs`), asked on the terminal before
// any server starts and before Ink takes the screen; a password input's answer is not echoed.
import { Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { InputAnswers, InputSpec } from '../config/inputs.js';
import { inputVariable } from '../config/inputs.js';
import type { Io } from '../io.js';
import { terminalSafe } from '../output/safe-text.js';

/** Asks each input in turn; one left unanswered (input closed, Ctrl+C) is simply missing from the answers. */
export async function askInputsOnTerminal(io: Io, inputs: InputSpec[]): Promise<InputAnswers> {
  const answers: InputAnswers = {};
  let muted = false;
  // Echo goes through this stream, so a password is typed into silence (readline still handles editing keys).
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) io.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: true });
  const onAbort = (): void => rl.close();
  io.signal.addEventListener('abort', onAbort, { once: true });
  let closed = false;
  rl.once('close', () => (closed = true));
  try {
    for (const input of uniqueById(inputs)) {
      if (closed) break;
      const about = input.description ? `${terminalSafe(input.description)} ` : '';
      io.stderr.write(
        `${about}(input "${terminalSafe(input.id)}" of ${terminalSafe(input.file)}; ${inputVariable(input.id)} answers it without asking)\n`,
      );
      muted = false;
      output.write(`${terminalSafe(input.id)}${input.password ? ' (hidden)' : ''}: `);
      muted = input.password;
      const answer = await new Promise<string | undefined>((resolve) => {
        const onClose = (): void => resolve(undefined);
        rl.once('close', onClose);
        rl.question('', (text) => {
          rl.off('close', onClose);
          resolve(text);
        });
      });
      if (input.password) io.stderr.write('\n');
      muted = false;
      if (answer !== undefined) answers[input.id] = answer;
    }
  } finally {
    io.signal.removeEventListener('abort', onAbort);
    rl.close();
  }
  return answers;
}

function uniqueById(inputs: InputSpec[]): InputSpec[] {
  const seen = new Set<string>();
  return inputs.filter((i) => !seen.has(i.id) && seen.add(i.id));
}
