// The commander program. Each command's module is imported only when that command runs, so
// `--help` and `--version` stay nearly free and `tools`/`call`/`doctor` never load the chat's UI.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { AskOptions } from './commands/ask.js';
import type { OutputFormat } from './output/ask-printers.js';
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
    .command('ask')
    .description('ask the model once, with the tools of the configured servers; the answer goes to stdout')
    .argument('[prompt...]', 'the question; `-` reads it from stdin. Piped stdin is attached to the prompt')
    .option('-m, --model <name>', 'the model name (overrides config and MCPSH_MODEL)')
    .option('--base-url <url>', 'an OpenAI-compatible endpoint (overrides config and OPENAI_BASE_URL)')
    .option('-A, --agent <name>', 'use the agent profile agents.<name> (instructions, servers, model)')
    .option('-s, --server <name>', 'only start and use this server (repeatable)', collect)
    .option('--max-turns <n>', `stop after this many model turns (default 20)`, parsePositiveInt)
    .option('--timeout <seconds>', 'stop the whole run after this long', parseSeconds)
    .addOption(new Option('-o, --output <format>', 'text, json (one document at the end) or stream-json (one event per line)').choices(['text', 'json', 'stream-json']).default('text'))
    .option('--allow <glob>', 'allow tools matching this glob on server__tool (repeatable)', collect)
    .option('--deny <glob>', 'deny tools matching this glob (repeatable; deny wins)', collect)
    .option('-y, --yes', 'allow every tool call that no deny rule forbids')
    .option('-v, --verbose', 'show tool calls on stderr even when it is not a terminal')
    .option('-q, --quiet', 'nothing on stderr but errors')
    .option('--no-stdin', 'do not read piped stdin')
    .addHelpText(
      'after',
      `
No prompts, ever: a tool call runs only if a permission rule (config "permissions", --allow) allows
it, or with --yes; an "ask" rule counts as deny. Denied calls are told to the model.

Exit codes: 0 answered, 2 usage, 3 config, 4 a required server is unavailable, 6 model/provider
error, 7 turn limit or --timeout reached, 130 interrupted. See docs/scripting.md.

Examples:
  mcpsh ask "how many customers are in Hanoi?" --allow 'db__*'
  git diff | mcpsh ask "review this change" --server files --yes
  mcpsh ask -A analyst -o json "top 3 customers by revenue" | jq -r .answer`,
    )
    .action(async (prompt: string[], opts: Omit<AskOptions, 'output'> & { output: OutputFormat }) => {
      const { runAsk } = await import('./commands/ask.js');
      process.exitCode = await runAsk(prompt, { ...globals(), ...opts }, io);
    });

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

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}
