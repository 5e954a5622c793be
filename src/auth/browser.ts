// Opening the sign-in URL: the config's `browser` command, else $BROWSER, else the system opener when
// there is a display (never in CI); otherwise, or with --no-browser, the URL is only printed.
import { spawn } from 'node:child_process';
import { AppError } from '../errors.js';

export interface OpenUrlOptions {
  /** The config's top-level `browser` command (the URL replaces `%s`, or is appended as its last argument). */
  browser?: string | undefined;
  /** --no-browser: print only. */
  noBrowser?: boolean;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export type OpenMethod = { kind: 'command'; command: string } | { kind: 'print'; reason: string };

/** Which way the URL would be opened (decided without running anything). */
export function chooseOpener(opts: OpenUrlOptions): OpenMethod {
  if (opts.noBrowser) return { kind: 'print', reason: '--no-browser' };
  const configured = opts.browser ?? opts.env.BROWSER;
  if (configured && configured.trim() !== '') return { kind: 'command', command: configured };
  if (opts.env.CI) return { kind: 'print', reason: 'running in CI' };
  const platform = opts.platform ?? process.platform;
  if (platform === 'darwin') return { kind: 'command', command: 'open' };
  if (platform === 'win32') return { kind: 'command', command: 'explorer' };
  if (opts.env.DISPLAY || opts.env.WAYLAND_DISPLAY) return { kind: 'command', command: 'xdg-open' };
  return { kind: 'print', reason: 'no display' };
}

/**
 * Splits a command line into words the way a POSIX shell would quote them, and nothing more: blanks
 * separate words, '…' is literal, "…" keeps \" \\ \$ \` as escapes, a backslash outside quotes escapes
 * the next character. No expansion of any kind ($VAR, ~, globs, $(…)) happens: nothing runs through a shell.
 */
export function splitCommandLine(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const unterminated = (what: string): AppError =>
    new AppError('CONFIG', `the browser command \`${command}\` has an unterminated ${what}`, {
      hint: 'close the quote, or quote the command the way a shell would',
    });
  while (i < command.length) {
    const c = command[i] as string;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw unterminated('single quote');
      word += command.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= command.length) throw unterminated('double quote');
        const d = command[i] as string;
        if (d === '"') break;
        const next = command[i + 1];
        if (d === '\\' && next !== undefined && '"\\$`\n'.includes(next)) {
          if (next !== '\n') word += next;
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      const next = command[i + 1];
      if (next === undefined) throw unterminated('backslash at the end');
      if (next !== '\n') word += next;
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The argv that opens `url`: the URL replaces `%s` inside the words that hold it, else it is the last word. */
export function browserArgv(command: string, url: string): string[] {
  const words = splitCommandLine(command);
  if (words.length === 0)
    throw new AppError('CONFIG', 'the browser command is empty', { hint: 'set "browser" (or $BROWSER) to a program, e.g. "firefox"' });
  if (!words.some((w) => w.includes('%s'))) return [...words, url];
  // A function replacement, so `$&` or `$'` in the URL stay as they are.
  return words.map((w) => w.replaceAll('%s', () => url));
}

const isHttp = (url: URL): boolean => url.protocol === 'https:' || url.protocol === 'http:';

/** Refuses anything but an http(s) URL: the sign-in URL goes to another program, which may treat other schemes as files or commands. */
export function checkSignInUrl(server: string, url: URL): void {
  if (!isHttp(url)) {
    throw new AppError(
      'SERVER_UNAVAILABLE',
      `server ${server}: the authorization server's sign-in URL is not an http(s) URL (scheme "${url.protocol.slice(0, 20)}"); mcpsh will not open it`,
      {
        hint: "check the authorization server's metadata (authorization_endpoint), or ask its operator",
      },
    );
  }
}

/**
 * Starts the opener, detached (a browser may run long after we are done), with the URL as one argument
 * and no shell. Resolves once it has started, or with an error message when it could not be started or
 * exited with a failure right away; throws for a URL that is not http(s) or a command that cannot be split.
 */
export async function launchBrowser(command: string, url: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!isHttp(new URL(url)))
    throw new AppError('USAGE', `refusing to open a URL that is not http(s) (${new URL(url).protocol}) with the browser command`);
  const [program, ...args] = browserArgv(command, url);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: string | undefined): void => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    const child = spawn(program as string, args, { env, detached: true, stdio: 'ignore' });
    child.once('error', (err) => settle(err.message));
    // A quick failing exit is worth reporting; a long-running browser is fine.
    child.once('exit', (code) => settle(code !== 0 && code !== null ? `\`${command}\` exited with status ${code}` : undefined));
    setTimeout(() => settle(undefined), 500).unref();
    child.unref();
  });
}
