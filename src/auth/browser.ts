// Opening the sign-in URL: the config's `browser` command, else $BROWSER, else the system opener when
// there is a display (never in CI); otherwise, or with --no-browser, the URL is only printed.
import { spawn } from 'node:child_process';

export interface OpenUrlOptions {
  /** The config's top-level `browser` command (the URL is appended as its last argument). */
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

/** A command line with the URL quoted for the shell: at `%s` when the command has one, else appended. */
export function browserCommandLine(command: string, url: string): string {
  const quoted = `'${url.replace(/'/g, `'\\''`)}'`;
  return command.includes('%s') ? command.replaceAll('%s', quoted) : `${command} ${quoted}`;
}

/**
 * Starts the opener, detached (a browser may run long after we are done). Resolves once it has started,
 * or with an error message when it could not be started or exited with a failure right away.
 */
export function launchBrowser(command: string, url: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: string | undefined): void => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    const child = spawn(browserCommandLine(command, url), { shell: true, env, detached: true, stdio: 'ignore' });
    child.once('error', (err) => settle(err.message));
    // A quick failing exit (command not found: 127) is worth reporting; a long-running browser is fine.
    child.once('exit', (code) => settle(code !== 0 && code !== null ? `\`${command}\` exited with status ${code}` : undefined));
    setTimeout(() => settle(undefined), 500).unref();
    child.unref();
  });
}
