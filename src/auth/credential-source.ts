// A secret the config supplies for a machine grant (a workload JWT, an ID token): written inline, read from a
// file, or printed by a command, fresh at each token request (such tokens are short-lived). Never echoed.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError, errorMessage } from '../errors.js';
import { addSecrets } from '../policy/redact.js';
import { runShell } from './shell.js';

export const CREDENTIAL_COMMAND_TIMEOUT_MS = 10_000;

export interface CredentialSpec {
  server: string;
  /** The config path of the field, e.g. `oauth.assertion` (File / Command are appended). */
  field: string;
  inline?: string | undefined;
  file?: string | undefined;
  command?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** The directory of the config file that defines the server (relative files and commands start there). */
  cwd?: string | undefined;
}

/** Whether the spec names any source at all. */
export const hasCredential = (spec: Pick<CredentialSpec, 'inline' | 'file' | 'command'>): boolean =>
  Boolean(spec.inline ?? spec.file ?? spec.command);

/** The credential, trimmed and registered with the redactor; a CONFIG error when no source gives one. */
export async function readCredential(spec: CredentialSpec): Promise<string> {
  const where = `server ${spec.server}: ${spec.field}`;
  const sources = [spec.inline, spec.file, spec.command].filter((s) => s !== undefined);
  if (sources.length !== 1) {
    throw new AppError(
      'CONFIG',
      `${where} needs exactly one of ${spec.field}, ${spec.field}File or ${spec.field}Command (${sources.length} given)`,
      {
        hint: 'see docs/auth.md, "Machine-to-machine grants"',
      },
    );
  }
  let value: string;
  if (spec.inline !== undefined) value = spec.inline;
  else if (spec.file !== undefined) {
    const path = isAbsolute(spec.file) || !spec.cwd ? spec.file : resolve(spec.cwd, spec.file);
    try {
      value = await readFile(path, 'utf8');
    } catch (err) {
      throw new AppError('CONFIG', `${where}File: cannot read ${path}: ${errorMessage(err)}`, {
        hint: 'check the path (relative to the config file)',
      });
    }
  } else {
    const command = spec.command ?? '';
    const run = await runShell(command, spec.env, spec.cwd, CREDENTIAL_COMMAND_TIMEOUT_MS);
    if (run.timedOut || run.code !== 0) {
      // The command's stdout may hold half a token, so only its stderr's last line is shown.
      const clue = run.stderr.trim().split('\n').slice(-1).join(' ').slice(0, 200);
      const what = run.timedOut
        ? `did not finish within ${CREDENTIAL_COMMAND_TIMEOUT_MS / 1000}s`
        : `exited with status ${run.code}${clue ? `: ${clue}` : ''}`;
      throw new AppError('SERVER_UNAVAILABLE', `${where}Command (\`${command}\`) ${what}`, {
        hint: 'run the command by hand to see what fails',
      });
    }
    value = run.stdout;
  }
  value = value.trim();
  if (value === '' || /\s/.test(value)) {
    throw new AppError(
      'CONFIG',
      `${where}${spec.file !== undefined ? 'File' : spec.command !== undefined ? 'Command' : ''} gave ${value === '' ? 'nothing' : 'text with spaces in it'}, not a token`,
      {
        hint: 'it must give one token (e.g. a JWT), alone',
      },
    );
  }
  addSecrets([value]);
  return value;
}
