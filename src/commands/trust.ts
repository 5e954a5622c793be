// `mcpsh trust [file]`: show what a project config would run, then record that the user trusts it
// (with --yes, or after a y at the prompt); `--list` and `--revoke` manage the records.
import path from 'node:path';
import type { GlobalOptions } from '../options.js';
import { loadConfig, noConfigError } from '../config/load.js';
import { describeForTrust, formatTrustDescription, listTrust, recordTrust, revokeTrust, trustStorePath } from '../config/trust.js';
import { shown } from '../config/trust-visible.js';
import { AppError } from '../errors.js';
import { askYesNo, writeLine, type Io } from '../io.js';
import { jsonText } from '../output/safe-text.js';
import { formatTable } from '../output/table.js';
import { textIo } from '../output/terminal-io.js';
import { addSecrets } from '../policy/redact.js';

export interface TrustOptions extends GlobalOptions {
  yes?: boolean;
  list?: boolean;
  revoke?: boolean;
  json?: boolean;
}

export async function runTrust(file: string | undefined, opts: TrustOptions, rawIo: Io): Promise<number> {
  const io = textIo(rawIo);
  if (opts.list && opts.revoke) throw new AppError('USAGE', '--list and --revoke cannot be used together');
  if (opts.list) return list(opts, io);
  const target = file ?? opts.config;
  // A named file is forgotten without reading it: it may no longer parse, or exist.
  if (opts.revoke && target !== undefined) return revoke([path.resolve(io.cwd, target)], io);
  // The gate refuses everything: the config is read (JSON) but no code config runs, whatever the records say.
  const loaded = await loadConfig({
    cwd: io.cwd,
    env: io.env,
    ...(target !== undefined ? { configPath: target } : {}),
    trustGate: () => false,
  });
  addSecrets(loaded.secrets);
  const project = loaded.sources.find((s) => s.scope === 'project');
  if (!project) {
    if (loaded.sources.length === 0) throw noConfigError(loaded);
    throw new AppError(
      'USAGE',
      `no project config found from ${io.cwd}; only your own file ${loaded.sources[0]?.path ?? ''} is used, and it needs no trust`,
      {
        hint: 'run it in the project directory, or name the file: mcpsh trust path/to/mcp.config.json',
      },
    );
  }
  const files = loaded.untrusted?.files ?? [project.path];

  if (opts.revoke) return revoke(files, io);

  // Built from the file's own text (templates, not their values), with every character made visible; no
  // redaction pass over it, since masking a value a config references could hide text that is really there.
  io.stdout.write(formatTrustDescription(describeForTrust(loaded, io.env)));
  if (!opts.yes) {
    if (io.stdin.isTTY !== true) {
      throw new AppError('USAGE', `not trusting ${shown(project.path)}: confirmation needs a terminal`, {
        hint: 'read what it runs above, then run `mcpsh trust --yes` (or pass --trust to trust it for one run only)',
      });
    }
    const yes = await askYesNo(io, `Trust ${shown(path.basename(project.path))} and let mcpsh run it? [y/N] `);
    if (!yes) {
      writeLine(io.stdout, 'not trusted; nothing was recorded');
      return 0;
    }
  }
  for (const f of files) {
    // The hash of the text shown above: if the file changed since, the record will not match it.
    const record = recordTrust(f, io.env, loaded.untrusted?.sha256[f]);
    writeLine(
      io.stdout,
      `trusted ${shown(record.path)} (sha256 ${record.sha256.slice(0, 12)}…); after any edit to it mcpsh will ask again`,
    );
  }
  return 0;
}

function revoke(files: string[], io: Io): number {
  const removed = files.filter((f) => revokeTrust(f, io.env));
  writeLine(
    io.stdout,
    removed.length === 0
      ? `${files.map((f) => shown(f)).join(', ')} was not trusted; nothing to revoke`
      : `revoked trust of ${removed.map((f) => shown(f)).join(', ')}`,
  );
  return 0;
}

function list(opts: TrustOptions, io: Io): number {
  const entries = listTrust(io.env);
  if (opts.json) {
    writeLine(io.stdout, jsonText({ store: trustStorePath(io.env), trusted: entries }, 2));
    return 0;
  }
  if (entries.length === 0) {
    writeLine(io.stdout, `no trusted project configs (records: ${trustStorePath(io.env)})`);
    return 0;
  }
  const state = { trusted: 'trusted', changed: 'changed since (will ask again)', missing: 'file gone' } as const;
  const rows = [['TRUSTED AT', 'STATE', 'FILE'], ...entries.map((e) => [e.trustedAt, state[e.state], shown(e.path)])];
  writeLine(io.stdout, formatTable(rows));
  return 0;
}
