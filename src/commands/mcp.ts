// `mcpsh mcp add|add-json|remove|enable|disable`: change the servers of the user or the project config file
// from the command line, shaped like `claude mcp`. Listing and import live in mcp-show.ts and mcp-import.ts.
import { AppError, errorMessage } from '../errors.js';
import { writeLine, type Io } from '../io.js';
import { textIo } from '../output/terminal-io.js';
import { hashConfigText, isTrusted, recordTrust } from '../config/trust.js';
import {
  editServers,
  entryProblem,
  scopeFile,
  serverNamesIn,
  serversOf,
  type AddResult,
  type Scope,
  type ServerEdit,
} from '../config/server-edits.js';
import { isRecord } from '../config/validate.js';

export interface ScopeOptions {
  scope?: Scope;
}

export interface AddOptions extends ScopeOptions {
  transport?: 'stdio' | 'http' | 'sse';
  env?: string[];
  header?: string[];
  force?: boolean;
}

/** The server entry `mcp add` describes: `NAME -- COMMAND [ARGS…]` or `NAME URL`. */
export function entryFromArgs(target: string | undefined, args: string[], opts: AddOptions): Record<string, unknown> {
  if (target === undefined) {
    throw new AppError('USAGE', 'mcp add needs a command or a URL after the name', {
      hint: 'mcpsh mcp add NAME -- COMMAND [ARGS…]   or   mcpsh mcp add NAME https://host/mcp',
    });
  }
  const remote =
    opts.transport === 'http' ||
    opts.transport === 'sse' ||
    (opts.transport === undefined && /^https?:\/\//i.test(target) && args.length === 0);
  const env = pairs(opts.env ?? [], '=', '-e', 'KEY=VALUE');
  const headers = pairs(opts.header ?? [], ':', '--header', "'Name: value'");
  if (remote) {
    if (args.length > 0)
      throw new AppError('USAGE', `a remote server takes no arguments after its URL (got ${args.join(' ')})`, {
        hint: 'for a stdio server: mcpsh mcp add NAME -- COMMAND [ARGS…]',
      });
    if (opts.env?.length)
      throw new AppError('USAGE', '-e sets the environment of a stdio server; a remote server (a URL) has none', {
        hint: 'send values to a remote server with --header',
      });
    return { ...(opts.transport ? { type: opts.transport } : {}), url: target, ...(opts.header?.length ? { headers } : {}) };
  }
  if (opts.header?.length)
    throw new AppError('USAGE', '--header is for remote servers (a URL); a stdio server has no HTTP headers', {
      hint: 'give a stdio server values with -e KEY=VALUE',
    });
  return { command: target, ...(args.length ? { args } : {}), ...(opts.env?.length ? { env } : {}) };
}

function pairs(items: string[], sep: string, flag: string, shape: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf(sep);
    const key = at > 0 ? item.slice(0, at).trim() : '';
    if (key === '') throw new AppError('USAGE', `${flag} expects ${shape}, got "${item}"`);
    out[key] = item.slice(at + 1).trim();
  }
  return out;
}

export function runMcpAdd(name: string, target: string | undefined, args: string[], opts: AddOptions, io: Io): number {
  return addEntry(name, entryFromArgs(target, args, opts), opts, io);
}

export function runMcpAddJson(name: string, json: string, opts: AddOptions, io: Io): number {
  let entry: unknown;
  try {
    entry = JSON.parse(json);
  } catch (err) {
    throw new AppError('USAGE', `the server entry is not valid JSON: ${errorMessage(err)}`, {
      hint: `e.g. mcpsh mcp add-json ${name} '{"command":"npx","args":["-y","pkg"]}'`,
    });
  }
  if (!isRecord(entry))
    throw new AppError('USAGE', 'the server entry must be a JSON object', {
      hint: `e.g. mcpsh mcp add-json ${name} '{"url":"https://host/mcp"}'`,
    });
  return addEntry(name, entry, opts, io);
}

function addEntry(name: string, entry: Record<string, unknown>, opts: AddOptions, rawIo: Io): number {
  const io = textIo(rawIo);
  const scope = opts.scope ?? 'user';
  const file = scopeFile(scope, io.env, io.cwd);
  const otherFile = scopeFile(scope === 'user' ? 'project' : 'user', io.env, io.cwd);
  const elsewhere = serverNamesIn(otherFile).map((n) => ({ name: n, file: otherFile }));
  const result = editServers(
    file,
    (doc) => {
      const servers = serversOf(doc);
      if (Object.hasOwn(servers, name) && opts.force !== true) {
        throw new AppError('USAGE', `${file} already has a server named "${name}"; it was not changed`, {
          hint: `pass --force to replace it, or \`mcpsh mcp remove ${name}\``,
        });
      }
      const problem = entryProblem(name, entry, Object.keys(servers), elsewhere, file);
      if (problem !== undefined)
        throw new AppError('CONFIG', `server "${name}" was not added to ${file}:\n${problem}`, {
          hint: 'change the name or the entry and run the command again (see `mcpsh mcp add --help`)',
        });
      return [[['mcpServers', name], entry]];
    },
    scope === 'project' ? 0o644 : undefined,
  );
  writeLine(io.stdout, `Added ${scope === 'user' ? 'user' : 'project'} server "${name}" to ${file}`);
  if (result && scope === 'project') noteTrust(result, io);
  return 0;
}

/**
 * A project file is used only once trusted. Writing it is the user's own act, so trust is recorded for exactly
 * the text written, but only when the file was new or already trusted: content someone else put there
 * (a cloned repository) is never trusted on the side.
 */
export function noteTrust(result: AddResult, io: Io): void {
  if (result.before === undefined || isTrusted(result.file, io.env, result.before)) {
    recordTrust(result.file, io.env, hashConfigText(result.text));
    writeLine(io.stdout, `Trusted ${result.file} as written (you wrote it); after editing it by hand, run \`mcpsh trust\`.`);
    return;
  }
  writeLine(io.stdout, `${result.file} is not trusted: review it, then run \`mcpsh trust\` so mcpsh starts its servers.`);
}

/** The file that defines `name`: the one --scope names, else the only one of project and user that has it. */
function fileWith(name: string, opts: ScopeOptions, io: Io): { file: string; scope: Scope } {
  if (opts.scope) return { file: scopeFile(opts.scope, io.env, io.cwd), scope: opts.scope };
  const found = (['project', 'user'] as const)
    .map((scope) => ({ scope, file: scopeFile(scope, io.env, io.cwd) }))
    .filter((c) => serverNamesIn(c.file).includes(name));
  if (found.length === 1 && found[0]) return found[0];
  if (found.length > 1)
    throw new AppError('USAGE', `server "${name}" is in both ${found.map((f) => f.file).join(' and ')}`, {
      hint: 'choose one with --scope user or --scope project',
    });
  throw new AppError(
    'USAGE',
    `no server named "${name}" in ${scopeFile('project', io.env, io.cwd)} or ${scopeFile('user', io.env, io.cwd)}`,
    {
      hint: '`mcpsh mcp list` shows the servers and the file each comes from',
    },
  );
}

function change(name: string, opts: ScopeOptions, rawIo: Io, verb: string, edit: (entry: Record<string, unknown>) => ServerEdit[]): number {
  const io = textIo(rawIo);
  const { file, scope } = fileWith(name, opts, io);
  const result = editServers(file, (doc) => {
    const entry = serversOf(doc)[name];
    if (entry === undefined)
      throw new AppError('USAGE', `no server named "${name}" in ${file}`, {
        hint: '`mcpsh mcp list` shows the servers and the file each comes from',
      });
    if (!isRecord(entry))
      throw new AppError('CONFIG', `server "${name}" in ${file} is not an object; it was not changed`, { hint: `fix ${file} by hand` });
    return edit(entry);
  });
  writeLine(io.stdout, `${verb} server "${name}" ${verb === 'Removed' ? 'from' : 'in'} ${file}`);
  if (result && scope === 'project') noteTrust(result, io);
  return 0;
}

export function runMcpRemove(name: string, opts: ScopeOptions, io: Io): number {
  return change(name, opts, io, 'Removed', () => [[['mcpServers', name], undefined]]);
}

export function runMcpEnable(name: string, enabled: boolean, opts: ScopeOptions, io: Io): number {
  return change(name, opts, io, enabled ? 'Enabled' : 'Disabled', (entry) => {
    // `disabled` (the Cline/Cursor spelling) would contradict the new `enabled`: one key says it.
    const edits: ServerEdit[] = [];
    if ('disabled' in entry) edits.push([['mcpServers', name, 'disabled'], undefined]);
    if (entry.enabled !== enabled) edits.push([['mcpServers', name, 'enabled'], enabled]);
    return edits;
  });
}
