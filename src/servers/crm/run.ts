// What `mcpsh serve crm` and `mcpsh serve crm token` do once their flags are parsed: resolve the default
// files in the XDG dirs, load the signing secret, then run the server until a signal, or mint one token.
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../errors.js';
import type { Io } from '../../io.js';
import { registerCleanup } from '../../lifecycle.js';
import { appPaths } from '../../paths.js';
import { loadCrmSecret, parseDuration, signCrmToken } from './auth.js';
import { KNOWN_SCOPES, parseScopes, unknownScopes } from './scopes.js';
import { isLoopbackHost, startCrmServer } from './server.js';
import { VERSION } from '../../version.js';

export interface ServeCrmOptions {
  port: number;
  host: string;
  db?: string;
  demo?: boolean;
  auditLog?: string;
  rate: number;
  allowRemote?: boolean;
}

export interface CrmTokenOptions {
  scopes: string;
  subject?: string;
  expires: string;
}

/** Runs the server until io.signal aborts (SIGINT/SIGTERM), then closes it. */
export async function runServeCrm(opts: ServeCrmOptions, io: Io): Promise<number> {
  // node:net wants "::1", people write "[::1]" as in URLs.
  const host = opts.host.replace(/^\[(.*)\]$/, '$1');
  if (!isLoopbackHost(host) && !opts.allowRemote) {
    throw new AppError('USAGE', `refusing to listen on ${host}: by default the CRM only listens on loopback (127.0.0.1, ::1, localhost)`, {
      hint: 'add --allow-remote to accept connections from other machines (every request still needs a bearer token)',
    });
  }
  const paths = appPaths(io.env);
  const dbFile = opts.db === undefined ? join(paths.data, 'crm.db') : resolve(io.cwd, opts.db);
  const auditFile = opts.auditLog === undefined ? join(paths.state, 'crm-audit.jsonl') : resolve(io.cwd, opts.auditLog);
  const secret = loadCrmSecret(io.env, paths.data);
  if (io.signal.aborted) return 130;

  const server = await startCrmServer(
    {
      host,
      port: opts.port,
      dbFile,
      auditFile,
      key: secret.key,
      demo: opts.demo === true,
      ratePerMinute: opts.rate,
      log: (line) => io.stderr.write(`${line}\n`),
    },
    VERSION,
  );
  const unregister = registerCleanup(() => server.close());
  const remote = isLoopbackHost(host) ? '' : ' (remote connections allowed)';
  io.stderr.write(`crm: listening on ${server.url}${remote}\n`);

  await new Promise<void>((done) => {
    if (io.signal.aborted) done();
    else io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  unregister();
  return 0;
}

/** Prints one signed token on stdout (and, for a person at a terminal, what it grants on stderr). */
export async function runCrmToken(opts: CrmTokenOptions, io: Io): Promise<number> {
  const scopes = parseScopes(opts.scopes);
  if (scopes.length === 0) {
    throw new AppError('USAGE', 'no scopes given', { hint: `pass --scopes with some of: ${KNOWN_SCOPES.join(' ')}` });
  }
  const unknown = unknownScopes(scopes);
  if (unknown.length > 0) {
    throw new AppError('USAGE', `unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      hint: `the CRM knows: ${KNOWN_SCOPES.join(' ')}`,
    });
  }
  const subject = (opts.subject ?? defaultSubject()).trim();
  if (subject === '' || subject.length > 128 || /\p{Cc}/u.test(subject)) {
    throw new AppError('USAGE', `invalid --subject "${subject}"`, { hint: 'use a short name for the client, e.g. --subject ci-bot' });
  }
  const expiresInSeconds = parseDuration(opts.expires);
  const secret = loadCrmSecret(io.env, appPaths(io.env).data);
  const token = await signCrmToken(secret.key, { subject, scopes, expiresInSeconds });
  io.stdout.write(`${token}\n`);
  if (io.stderr.isTTY) {
    const expiry = new Date(Date.now() + expiresInSeconds * 1000).toISOString();
    io.stderr.write(`crm: token for "${subject}" with scopes ${scopes.join(' ')}, valid until ${expiry}\n`);
  }
  return 0;
}

function defaultSubject(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}
