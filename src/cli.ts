// The commander program. Each command's module is imported only when that command runs, so
// `--help` and `--version` stay nearly free and `tools`/`call`/`doctor` never load the chat's UI.
import { Command, InvalidArgumentError } from 'commander';
import type { Io } from './io.js';
import { VERSION } from './version.js';
import { addServeCrm } from './commands/serve-crm.js';
import { addServeSqlite } from './commands/serve-sqlite.js';

export interface GlobalOptions {
  config?: string;
  debug?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function buildProgram(io: Io): Command {
  const program = new Command('mcpsh');
  program
    .description('A command-line agent shell for the Model Context Protocol (MCP).')
    .version(VERSION, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'use this config file (also a claude_desktop_config.json or .mcp.json) instead of searching for one')
    .option('--debug', 'print debug details of errors')
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
$XDG_CONFIG_HOME/mcpsh/. See docs/configuration.md.

Examples:
  mcpsh tools                               list every tool of every configured server
  mcpsh call db query '{"sql":"select 1"}'  call one tool directly, no model needed
  mcpsh doctor                              check that every server starts and answers
  mcpsh init                                write a commented starter config`,
    );

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command('servers')
    .alias('status')
    .description('connect every configured server and show its state, transport, tool count and connect time')
    .option('--json', 'print JSON (see docs/scripting.md)')
    .action(async (opts: { json?: boolean }) => {
      const { runServers } = await import('./commands/servers.js');
      process.exitCode = await runServers({ ...globals(), ...opts }, io);
    });

  program
    .command('tools')
    .description('list the tools of every server (or of one), by the names the model sees: <server>__<tool>')
    .argument('[server]', 'only this server')
    .option('--schema', 'show each input schema')
    .option('--json', 'print JSON (see docs/scripting.md)')
    .action(async (server: string | undefined, opts: { schema?: boolean; json?: boolean }) => {
      const { runTools } = await import('./commands/tools.js');
      process.exitCode = await runTools(server, { ...globals(), ...opts }, io);
    });

  program
    .command('call')
    .description('call one tool of one server directly, with no model, and print the result')
    .argument('<server>', 'the server name from the config')
    .argument('<tool>', 'the tool name as the server names it (or the namespaced <server>__<tool>)')
    .argument('[json-args]', "the arguments as a JSON object, or - to read them from stdin")
    .option('-a, --arg <key=value>', 'one argument (repeatable); values are parsed as JSON when they can be, else taken as strings', collect)
    .option('--json', 'print the raw MCP result as JSON')
    .option('--timeout <seconds>', 'override the server\'s callTimeout', parseSeconds)
    .addHelpText(
      'after',
      `
Exit codes: 0 success, 5 the tool reported an error (isError) or the call failed,
2 bad arguments, 3 bad config, 4 server unavailable. See docs/scripting.md.

Examples:
  mcpsh call db query '{"sql":"select count(*) from customers"}'
  mcpsh call everything echo --arg message=hello
  echo '{"a":1,"b":2}' | mcpsh call everything get-sum -`,
    )
    .action(
      async (
        server: string,
        tool: string,
        jsonArgs: string | undefined,
        opts: { arg?: string[]; json?: boolean; timeout?: number },
      ) => {
        const { runCall } = await import('./commands/call.js');
        process.exitCode = await runCall(server, tool, jsonArgs, { ...globals(), ...opts }, io);
      },
    );

  program
    .command('doctor')
    .description('connect and ping every enabled server; report latency, tools, protocol version and problems')
    .option('--json', 'print JSON (see docs/scripting.md)')
    .addHelpText('after', '\nExit code 0 only when every enabled server is healthy, 9 otherwise.')
    .action(async (opts: { json?: boolean }) => {
      const { runDoctor } = await import('./commands/doctor.js');
      process.exitCode = await runDoctor({ ...globals(), ...opts }, io);
    });

  program
    .command('config')
    .description('print the resolved config and where each part came from, with secrets redacted')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { runConfig } = await import('./commands/config.js');
      process.exitCode = await runConfig({ ...globals(), ...opts }, io);
    });

  program
    .command('init')
    .description('write a commented starter config (mcp.config.json by default)')
    .argument('[file]', 'where to write it', 'mcp.config.json')
    .option('-f, --force', 'overwrite an existing file')
    .action(async (file: string, opts: { force?: boolean }) => {
      const { runInit } = await import('./commands/init.js');
      process.exitCode = await runInit(file, { ...globals(), ...opts }, io);
    });

  const serve = program
    .command('serve')
    .description('run one of the MCP servers that ship with mcpsh (sqlite, crm)');
  addServeSqlite(serve, io);
  addServeCrm(serve, io);

  return program;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive number of seconds, got "${value}"`);
  }
  return n;
}
