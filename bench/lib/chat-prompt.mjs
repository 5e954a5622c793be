// The chat's time to prompt: `mcpsh` (the chat) started in a pseudo-terminal (node-pty, already a dev
// dependency of the tests), wall times from spawn until (1) the input prompt is drawn and (2) it takes input:
// from (1) on, "x" is typed every 20 ms until the prompt shows it (a key sent before Ink reads the terminal
// is only echoed by the tty, not shown in the prompt). Then Ctrl+U empties the prompt and Ctrl+D ends the chat.
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import pty from 'node-pty';
import { ROOT } from './measure.mjs';

const BIN = join(ROOT, 'bin/mcpsh.js');
// What src/ui/App.tsx shows in the empty prompt in tools-only mode (no model configured); the prompt
// symbol is SYMBOLS.prompt in src/ui/theme.ts.
const PROMPT_TEXT = 'no model: /tools, /servers, /call work';
const TYPED = /›\s*x+\s/;
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()][0-9A-Za-z]|\u001b[=>78]/g;

/** Ink renders one frame at the end when it thinks it runs in CI: drop those variables. */
function interactive(env) {
  return Object.fromEntries(
    Object.entries(env)
      .filter(([key]) => key !== 'CI' && key !== 'CONTINUOUS_INTEGRATION' && !key.startsWith('CI_'))
      .concat([['TERM', 'xterm-256color']]),
  );
}

/** Resolves { drawnMs, inputMs } once the chat has exited cleanly, or rejects with what was on screen. */
export function chatPromptTime(config, env, timeoutMs = 20_000) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = pty.spawn(process.execPath, [BIN, '--config', config], {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      cwd: ROOT,
      env: interactive(env),
    });
    let raw = '';
    let drawnMs;
    let inputMs;
    let typing;
    let leaving;
    const screen = () => raw.replace(ESCAPES, '');
    const type = () => child.write('x');
    const timer = setTimeout(() => {
      clearInterval(typing);
      clearInterval(leaving);
      child.kill('SIGKILL');
      fail(
        new Error(
          `the chat ${drawnMs === undefined ? 'drew no prompt' : inputMs === undefined ? 'took no input' : 'did not exit on Ctrl+D'} within ${timeoutMs} ms; the screen had:\n${screen().slice(-1000)}`,
        ),
      );
    }, timeoutMs);
    child.onData((data) => {
      raw += data;
      if (drawnMs === undefined && screen().includes(PROMPT_TEXT)) {
        drawnMs = performance.now() - started;
        type();
        typing = setInterval(type, 20);
      } else if (drawnMs !== undefined && inputMs === undefined && TYPED.test(screen())) {
        inputMs = performance.now() - started;
        clearInterval(typing);
        // Ctrl+U empties the prompt, Ctrl+D on the empty prompt exits; each key its own write, some time
        // apart (keys arriving in one chunk read as a paste), repeated until the chat has gone.
        let key = 0;
        child.write('\u0015');
        leaving = setInterval(() => child.write(++key % 2 ? '\u0004' : '\u0015'), 125);
      }
    });
    child.onExit(({ exitCode }) => {
      clearTimeout(timer);
      clearInterval(typing);
      clearInterval(leaving);
      if (inputMs === undefined)
        fail(new Error(`the chat exited (${exitCode}) before taking input; the screen had:\n${screen().slice(-1000)}`));
      else if (exitCode !== 0) fail(new Error(`the chat took input but exited ${exitCode} after Ctrl+D`));
      else done({ drawnMs, inputMs });
    });
  });
}
