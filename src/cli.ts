// The commander program, built from the command table (src/cli/*-table.ts, src/cli/spec.ts). Each command's
// module is imported only when that command runs, so `--help` and `--version` stay nearly free and
// `tools`/`call`/`doctor` never load the chat's UI. The command's exit code is what runProgram returns.
import { Command } from 'commander';
import type { Io } from './io.js';
import type { GlobalOptions } from './options.js';
import { VERSION } from './version.js';
import { docPath } from './docs-path.js';
import { commandTable } from './cli/commands-table.js';
import { completionTable, mcpTable } from './cli/mcp-table.js';
import { serveTable } from './cli/serve-table.js';
import { register } from './cli/spec.js';

let ran: string | undefined;

/** The command the last parsed argv ran ("tools", "mcp add"), once its action started; undefined for help or a usage error. */
export function ranCommand(): string | undefined {
  return ran;
}

/** Parses `argv` (the words after `mcpsh`) and runs the command it names; resolves to its exit code. */
export async function runProgram(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => (exitCode = code));
  await program.parseAsync(argv, { from: 'user' });
  return exitCode;
}

/** The program; `finish` receives the exit code of the command that ran (none runs for help or a usage error). */
export function buildProgram(io: Io, finish: (code: number) => void): Command {
  const program = new Command('mcpsh');
  program
    .description('A command-line agent shell for the Model Context Protocol (MCP).')
    .version(VERSION, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'use this config file (also a claude_desktop_config.json or .mcp.json) instead of searching for one')
    .option(
      '--debug',
      'write a debug log (every MCP message and model request, summarised, secrets redacted) and print error details; also MCPSH_DEBUG=1',
    )
    .option('--trust', 'trust the project config for this run only, without recording it (also MCPSH_TRUST=1, for CI)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`mcpsh: ${s.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      `
Config is found by searching up from the current directory for mcp.config.json, .mcprc,
.mcprc.json, mcp.config.{js,mjs,cjs,ts} or package.json#mcp, merged over the user file in
$XDG_CONFIG_HOME/mcpsh/. See ${docPath('configuration.md')}.

Examples:
  mcpsh tools                               list every tool of every configured server
  mcpsh call db query '{"sql":"select 1"}'  call one tool directly, no model needed
  mcpsh doctor                              check that every server starts and answers
  mcpsh init                                write a commented starter config`,
    );

  // The debug log starts before any command runs, so it sees the config load and every connection.
  program.hook('preAction', async (_program, action) => {
    ran = commandPath(action);
    const { debugLog, debugRequested, startDebugLog } = await import('./debug-log.js');
    if (program.opts<GlobalOptions>().debug !== true && !debugRequested(io.env)) return;
    const file = startDebugLog(io.env);
    debugLog.note('start', { version: VERSION, command: action.name(), pid: process.pid, cwd: io.cwd, node: process.version });
    // Said only to a person at a terminal: a script's stderr stays exactly as documented.
    if (io.stderr.isTTY === true) io.stderr.write(`mcpsh: debug log: ${file}\n`);
  });

  for (const spec of [...commandTable(), serveTable(), mcpTable(), ...completionTable()]) register(program, spec, program, io, finish);
  return program;
}

function commandPath(action: Command): string {
  const names: string[] = [];
  for (let c: Command | null = action; c !== null && c.parent !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
