// The browser step of the OAuth sign-in: the `browser` command is split into words by mcpsh (no shell),
// the URL reaches the program as one argument whatever it holds, and the loopback listener's wait.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { browserArgv, checkSignInUrl, launchBrowser, splitCommandLine } from '../../src/auth/browser.js';
import { startLoopbackListener } from '../../src/auth/loopback.js';
import { AppError } from '../../src/errors.js';

const RECORDER = fileURLToPath(new URL('../fixtures/auth/record-argv.mjs', import.meta.url));

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-browser-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('splitCommandLine', () => {
  it('splits on blanks and honours single quotes, double quotes and backslashes like a POSIX shell', () => {
    expect(splitCommandLine('firefox')).toEqual(['firefox']);
    expect(splitCommandLine('  firefox   --new-tab\t%s ')).toEqual(['firefox', '--new-tab', '%s']);
    expect(splitCommandLine(`'/Applications/My Browser.app/x' "a b" c\\ d`)).toEqual(['/Applications/My Browser.app/x', 'a b', 'c d']);
    expect(splitCommandLine(`"say \\"hi\\" \\$HOME \\n" 'it'\\''s' x""y ''`)).toEqual(['say "hi" $HOME \\n', "it's", 'xy', '']);
    // Nothing is expanded: no variables, no command substitution, no globs, no ~.
    expect(splitCommandLine('echo $HOME $(id) `id` * ~')).toEqual(['echo', '$HOME', '$(id)', '`id`', '*', '~']);
  });

  it('refuses an unterminated quote with a config error that names the command', () => {
    for (const command of [`firefox "%s`, `firefox '%s`, 'firefox \\']) {
      const err = (() => {
        try {
          splitCommandLine(command);
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('CONFIG');
      expect((err as AppError).message).toContain(`the browser command \`${command}\` has an unterminated`);
    }
  });
});

describe('browserArgv', () => {
  const url = 'https://as.example/authorize?a=1&b=$(id)';
  it('puts the URL in place of %s, quoted or not, or last; always as one word', () => {
    expect(browserArgv('firefox', url)).toEqual(['firefox', url]);
    expect(browserArgv('firefox %s', url)).toEqual(['firefox', url]);
    expect(browserArgv('firefox "%s"', url)).toEqual(['firefox', url]);
    expect(browserArgv("firefox '%s' --new", url)).toEqual(['firefox', url, '--new']);
    expect(browserArgv('open --url=%s', url)).toEqual(['open', `--url=${url}`]);
    // `$&` in a replacement string would insert the match; the URL is taken literally.
    expect(browserArgv('b %s', 'https://x.example/$&$`')).toEqual(['b', 'https://x.example/$&$`']);
  });
});

describe('launchBrowser', () => {
  it('runs no shell: a URL with $(…) reaches the program verbatim as one argument and runs nothing, however %s is quoted', async () => {
    const dir = scratch();
    const pwned = join(dir, 'pwned');
    // WHATWG URLs (and the SDK's checks) keep $( ) in paths and queries as they are.
    const url = new URL(`http://127.0.0.1:9/authorize/$(touch$IFS${pwned})?x=$(touch$IFS${pwned})&y='$(touch$IFS${pwned})'`).href;
    expect(url).toContain('$(touch$IFS');
    const node = `'${process.execPath}' '${RECORDER}'`;
    for (const [i, command] of [`${node} "%s"`, `${node} '%s'`, `${node} %s`, node].entries()) {
      const record = join(dir, `argv-${i}.json`);
      const problem = await launchBrowser(command, url, { PATH: process.env.PATH, RECORD_ARGV_TO: record });
      expect(problem).toBeUndefined();
      expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual([url]);
    }
    expect(existsSync(pwned)).toBe(false);
  });

  it('reports a program that does not exist', async () => {
    const problem = await launchBrowser('/nonexistent/mcpsh-browser %s', 'https://as.example/authorize', { PATH: process.env.PATH });
    expect(problem).toMatch(/ENOENT/);
  });

  it('refuses a sign-in URL that is not http(s), before anything runs', async () => {
    const dir = scratch();
    const record = join(dir, 'argv.json');
    await expect(
      launchBrowser(`'${process.execPath}' '${RECORDER}'`, 'file:///etc/passwd', { PATH: process.env.PATH, RECORD_ARGV_TO: record }),
    ).rejects.toThrow(/not http\(s\)/);
    expect(existsSync(record)).toBe(false);
    expect(() => checkSignInUrl('remote', new URL('javascript:alert(1)'))).toThrow(
      `server remote: the authorization server's sign-in URL is not an http(s) URL (scheme "javascript:"); mcpsh will not open it`,
    );
    expect(() => checkSignInUrl('remote', new URL('https://as.example/authorize'))).not.toThrow();
  });
});

describe('the loopback listener', () => {
  it('notices a signal that was aborted before the wait began', async () => {
    const listener = await startLoopbackListener('remote', 0);
    cleanup.push(() => listener.close());
    const controller = new AbortController();
    controller.abort();
    // Without the check the wait would run into its time limit (TIMEOUT) instead of ending now.
    const err = await listener.waitForCode('state-1', 3_000, controller.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CANCELLED');
    expect((err as AppError).message).toBe('sign-in to server remote was cancelled');
    // No wait was left behind: a redirect with that state is not accepted.
    const response = await fetch(`${listener.redirectUrl}?state=state-1&code=c`);
    expect(response.status).toBe(400);
  });

  it('closing it ends a wait still going, instead of leaving it to its time limit', async () => {
    const listener = await startLoopbackListener('remote', 0);
    const waiting = listener.waitForCode('state-2', 60_000);
    await listener.close();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('accepts only the expected state, then hands over the code', async () => {
    const listener = await startLoopbackListener('remote', 0);
    cleanup.push(() => listener.close());
    const waiting = listener.waitForCode('good-state', 5_000);
    expect((await fetch(`${listener.redirectUrl}?state=other&code=c1`)).status).toBe(400);
    expect((await fetch(`${listener.redirectUrl}?state=good-state&code=c2`)).status).toBe(200);
    expect(await waiting).toEqual({ code: 'c2' });
  });
});
