// How a fatal error reaches the person: message and hint on stderr, redacted, and without the escape
// sequences a server (or an OAuth error_description) may have put in it.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { reportFatal } from '../../src/main.js';

function captureIo(): { io: Parameters<typeof reportFatal>[1]; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return {
    io: { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: '/', signal: new AbortController().signal },
    out: () => out,
    err: () => err,
  };
}

describe('reportFatal', () => {
  it('makes terminal escape sequences in the message and the hint visible (colours dropped), and keeps the exit code', () => {
    const c = captureIo();
    const error = new AppError('SERVER_UNAVAILABLE', 'sign-in failed: invalid_grant (\u001b]0;owned\u0007\u001b[2Jcode expired)', {
      hint: 'run \u001b[31mmcpsh auth login x\u001b[0m',
    });
    expect(reportFatal(error, c.io, ['call'])).toBe(4);
    expect(c.err()).toBe('mcpsh: sign-in failed: invalid_grant (␛]0;owned␇␛[2Jcode expired)\n  hint: run mcpsh auth login x\n');
    expect(c.out()).toBe('');
  });

  it('prints the JSON error document on stdout when JSON output was asked for', () => {
    const c = captureIo();
    expect(reportFatal(new AppError('CONFIG', 'bad config'), c.io, ['tools', '--json'])).toBe(3);
    expect(JSON.parse(c.out())).toMatchObject({ error: { code: 'CONFIG', message: 'bad config' } });
  });
});
