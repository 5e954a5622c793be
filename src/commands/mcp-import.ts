// `mcpsh mcp import`: copy the servers another host (Claude Desktop, Claude Code, Cursor, VS Code, Gemini CLI)
// already has into the user or project config, skipping names that exist; each entry is validated like `mcp add`.
import { AppError } from '../errors.js';
import { writeLine, type Io } from '../io.js';
import { textIo } from '../output/terminal-io.js';
import { jsonText } from '../output/safe-text.js';
import {
  editServers,
  entryProblem,
  parseConfigText,
  scopeFile,
  serverNamesIn,
  serversOf,
  type ServerEdit,
} from '../config/server-edits.js';
import {
  defaultFiles,
  hostServers,
  IMPORT_SOURCES,
  isProjectFile,
  mapEntry,
  readHostFile,
  type ImportSource,
} from '../config/server-import.js';
import { noteTrust, type ScopeOptions } from './mcp.js';
import { readFileSync } from 'node:fs';

export interface ImportOptions extends ScopeOptions {
  from?: ImportSource;
  dryRun?: boolean;
  json?: boolean;
}

interface Candidate {
  name: string;
  entry: Record<string, unknown>;
  dropped: string[];
  file: string;
}

/** Every server of the chosen host's files (or of FILE), first file first; a name seen twice keeps the first. */
function candidates(file: string | undefined, opts: ImportOptions, io: Io): { found: Candidate[]; read: string[] } {
  const sources: ImportSource[] = opts.from ? [opts.from] : [...IMPORT_SOURCES];
  const found: Candidate[] = [];
  const read: string[] = [];
  for (const source of sources) {
    // A project's own host files (a cloned repository's .mcp.json, .vscode/mcp.json, …) are read only when a
    // host is named: copying them into the user file would run them everywhere, past the project's trust step.
    const files =
      file !== undefined
        ? [file]
        : defaultFiles(source, io.env, io.cwd).filter((f) => opts.from !== undefined || !isProjectFile(f, io.cwd));
    for (const f of files) {
      const doc = readHostFile(f);
      if (doc === undefined) {
        if (file !== undefined)
          throw new AppError('USAGE', `${f} does not exist`, {
            hint: "name an existing file, or leave FILE out to read the host's usual files",
          });
        continue;
      }
      if (!read.includes(f)) read.push(f);
      for (const [name, raw] of Object.entries(hostServers(source, doc, io.cwd))) {
        if (found.some((c) => c.name === name)) continue;
        const mapped = mapEntry(source, raw);
        if (mapped) found.push({ name, ...mapped, file: f });
      }
    }
    if (file !== undefined) break;
  }
  return { found, read };
}

export function runMcpImport(file: string | undefined, opts: ImportOptions, rawIo: Io): number {
  const io = textIo(rawIo);
  if (file !== undefined && opts.from === undefined) {
    throw new AppError('USAGE', 'importing from a named file needs --from to say whose format it is', {
      hint: `--from ${IMPORT_SOURCES.join('|')}`,
    });
  }
  const { found, read } = candidates(file, opts, io);
  const scope = opts.scope ?? 'user';
  const target = scopeFile(scope, io.env, io.cwd);
  const otherFile = scopeFile(scope === 'user' ? 'project' : 'user', io.env, io.cwd);
  const elsewhere = serverNamesIn(otherFile).map((name) => ({ name, file: otherFile }));
  const added: Candidate[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  const plan = (doc: Record<string, unknown>): ServerEdit[] => {
    added.length = 0;
    skipped.length = 0;
    const names = Object.keys(serversOf(doc));
    for (const c of found) {
      if (names.includes(c.name)) {
        skipped.push({ name: c.name, reason: `already in ${target}` });
        continue;
      }
      const problem = entryProblem(c.name, c.entry, names, elsewhere, target);
      if (problem !== undefined) {
        skipped.push({ name: c.name, reason: problem.replace(/\n/g, '; ') });
        continue;
      }
      names.push(c.name);
      added.push(c);
    }
    return added.map((c) => [['mcpServers', c.name], c.entry]);
  };
  let result;
  if (opts.dryRun) plan(parseConfigText(target, readOrEmpty(target)));
  else result = editServers(target, plan, scope === 'project' ? 0o644 : undefined);
  if (opts.json) {
    writeLine(
      io.stdout,
      jsonText(
        {
          file: target,
          dryRun: opts.dryRun === true,
          read,
          added: added.map(({ name, entry, dropped, file: from }) => ({ name, from, entry, dropped })),
          skipped,
        },
        2,
      ),
    );
  } else {
    report(io, { read, added, skipped, target, dryRun: opts.dryRun === true });
  }
  if (result && scope === 'project' && !opts.json) noteTrust(result, io);
  return 0;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function report(
  io: Io,
  r: { read: string[]; added: Candidate[]; skipped: Array<{ name: string; reason: string }>; target: string; dryRun: boolean },
): void {
  if (r.read.length === 0) {
    writeLine(io.stdout, 'No host config files found; name one: mcpsh mcp import --from claude-desktop FILE');
    return;
  }
  const verb = r.dryRun ? 'Would add' : 'Added';
  writeLine(io.stdout, `Read ${r.read.join(', ')}`);
  if (r.added.length === 0) writeLine(io.stdout, `Nothing to add to ${r.target}.`);
  else writeLine(io.stdout, `${verb} ${r.added.length} server(s) to ${r.target}:`);
  // What each server runs or reaches is shown, so a person sees what was copied without opening the file.
  for (const c of r.added)
    writeLine(io.stdout, `  + ${c.name}: ${describe(c.entry)}${c.dropped.length ? `  (not copied: ${c.dropped.join(', ')})` : ''}`);
  for (const s of r.skipped) writeLine(io.stdout, `  - ${s.name} skipped: ${s.reason}`);
}

function describe(entry: Record<string, unknown>): string {
  if (typeof entry.url === 'string') return entry.url;
  const args = Array.isArray(entry.args) ? entry.args.filter((a): a is string => typeof a === 'string') : [];
  return [String(entry.command), ...args].map((a) => (/[\s"']/.test(a) || a === '' ? jsonText(a) : a)).join(' ');
}
