// Runs a remote server's `headersHelper`: a shell command whose stdout is a JSON object of HTTP headers
// (for short-lived tokens). Bounded in time and output; its values are secrets and are never echoed.
import { AppError } from '../errors.js';
import { addSecrets } from '../policy/redact.js';
import { runShell } from './shell.js';

export const HEADERS_HELPER_TIMEOUT_MS = 10_000;

export interface HelperOptions {
  server: string;
  command: string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/** The helper's headers, validated, with every value registered as a secret. */
export async function runHeadersHelper(opts: HelperOptions): Promise<Record<string, string>> {
  const where = `the headersHelper of server "${opts.server}" (\`${opts.command}\`)`;
  const { code, stdout, stderr, timedOut } = await runShell(opts.command, opts.env, opts.cwd, opts.timeoutMs ?? HEADERS_HELPER_TIMEOUT_MS);
  if (timedOut) {
    throw new AppError('SERVER_UNAVAILABLE', `${where} did not finish within ${(opts.timeoutMs ?? HEADERS_HELPER_TIMEOUT_MS) / 1000}s`, {
      hint: 'make the command print its JSON and exit; run it by hand to see where it waits',
    });
  }
  if (code !== 0) {
    // The helper's own stderr may say why; its stdout may hold half a token, so it is never shown.
    const clue = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200);
    throw new AppError('SERVER_UNAVAILABLE', `${where} exited with status ${code}${clue ? `: ${clue}` : ''}`, {
      hint: 'run the command by hand to see what fails',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new AppError('CONFIG', `${where} did not print a JSON object on stdout`, {
      hint: 'it must print one JSON object of string header values, e.g. {"Authorization": "Bearer …"}',
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppError('CONFIG', `${where} printed JSON that is not an object`, {
      hint: 'print an object such as {"Authorization": "Bearer …"}',
    });
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      throw new AppError('CONFIG', `${where} printed a non-string value for header "${name}"`, {
        hint: 'every header value must be a string',
      });
    }
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new AppError('CONFIG', `${where} printed an invalid header name "${name.slice(0, 40)}"`, {
        hint: 'header names are tokens like Authorization or X-Api-Key',
      });
    }
    headers[name] = value;
  }
  const values = Object.values(headers);
  const bare = values.map((v) => /^(?:bearer|basic|token)\s+(\S.*)$/i.exec(v.trim())?.[1]);
  addSecrets([...values, ...bare]);
  return headers;
}
