// The commander program. Each command's module is imported only when that command runs, so
// `--help` and `--version` stay nearly free and `tools`/`call`/`doctor` never load the chat's UI.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { AskOptions } from './commands/ask.js';
import type { OutputFormat } from './output/ask-printers.js';
import type { Io } from './io.js';
import { VERSION } from './version.js';
import { docPath } from './docs-path.js';
import { addServeCrm } from './commands/serve-crm.js';
import { addServeSqlite } from './commands/serve-sqlite.js';
import { addCompletionCommands, addMcpCommand } from './commands/mcp-program.js';

export interface GlobalOptions {
  config?: string;
  debug?: boolean;
  /** Trust the project config for this run only (also MCPSH_TRUST=1); see src/config/trust.ts. */
  trust?: boolean;
  /** --interactive-auth (ask, call, tools, doctor, ...): a server that needs OAuth sign-in may open the browser. */
  interactiveAuth?: boolean;
  /** --no-browser sets false: sign-in URLs are printed, never opened. */
  browser?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function buildProgram(io: Io): Command {
  const program = new Command('mcpsh');
  program
    .description('A command-line agent shell for the Model Context Protocol (MCP).')
    .version(VERSION, '-V, --version', 'print the version')
    .option('-c, --config <file>', 'use this config file (also a claude_desktop_config.json or .mcp.json) instead of searching for one')
    .option('--debug', 'write a debug log (every MCP message and model request, summarised, secrets redacted) and print error details; also MCPSH_DEBUG=1')
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

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  // The debug log starts before any command runs, so it sees the config load and every connection.
  program.hook('preAction', async (_program, action) => {
    const { debugLog, debugRequested, startDebugLog } = await import('./debug-log.js');
    if (globals().debug !== true && !debugRequested(io.env)) return;
    const file = startDebugLog(io.env);
    debugLog.note('start', { version: VERSION, command: action.name(), pid: process.pid, cwd: io.cwd, node: process.version });
    // Said only to a person at a terminal: a script's stderr stays exactly as documented.
    if (io.stderr.isTTY === true) io.stderr.write(`mcpsh: debug log: ${file}\n`);
  });

  program
    .command('chat', { isDefault: true })
    .description('the interactive chat in the terminal (the default: `mcpsh` alone opens it)')
    .option('-m, --model <name>', 'the model name (overrides config and MCPSH_MODEL)')
    .option('--base-url <url>', 'an OpenAI-compatible endpoint (overrides config and OPENAI_BASE_URL)')
    .option('-A, --agent <name>', 'start with the agent profile agents.<name> (instructions, servers, model)')
    .option('--max-turns <n>', 'stop a reply after this many model turns (default 20)', parsePositiveInt)
    .option('-r, --resume [id]', 'continue a saved chat (the most recent one without an id); chats are saved as you talk')
    .allowExcessArguments()
    .addHelpText('after', `\nKeys, slash commands and approvals: ${docPath('chat.md')}. Without a model it opens in tools-only mode.`)
    .action(async (opts: { model?: string; baseUrl?: string; agent?: string; maxTurns?: number; resume?: string | boolean }, command: Command) => {
      const { runChat } = await import('./commands/chat.js');
      const names = program.commands.map((c) => c.name()).filter((n) => n !== 'chat');
      // The chat is interactive: a server that needs OAuth may open the browser step (docs/auth.md).
      process.exitCode = await runChat(command.args, names, { ...globals(), ...opts, interactiveAuth: true }, io);
    });

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
error, 7 turn limit or --timeout reached, 130 interrupted. See ${docPath('scripting.md')}.

Examples:
  mcpsh ask "how many customers are in Hanoi?" --allow 'db__*'
  git diff | mcpsh ask "review this change" --server files --yes
  mcpsh ask -A analyst -o json "top 3 customers by revenue" | jq -r .answer`,
    )
    .addOption(interactiveAuthOption())
    .action(async (prompt: string[], opts: Omit<AskOptions, 'output'> & { output: OutputFormat }) => {
      const { runAsk } = await import('./commands/ask.js');
      process.exitCode = await runAsk(prompt, { ...globals(), ...opts }, io);
    });

  program
    .command('servers')
    .alias('status')
    .description('connect every configured server and show its state, transport, tool count and connect time')
    .option('--json', `print JSON (see ${docPath('scripting.md')})`)
    .addOption(interactiveAuthOption())
    .action(async (opts: { json?: boolean }) => {
      const { runServers } = await import('./commands/servers.js');
      process.exitCode = await runServers({ ...globals(), ...opts }, io);
    });

  program
    .command('tools')
    .description('list the tools of every server (or of one), by the names the model sees: <server>__<tool>')
    .argument('[server]', 'only this server')
    .option('--schema', 'show each input schema')
    .option('--json', `print JSON (see ${docPath('scripting.md')})`)
    .option('--refresh', 'also forget the remembered tool lists, so the next `ask` does not start from them')
    .addOption(interactiveAuthOption())
    .action(async (server: string | undefined, opts: { schema?: boolean; json?: boolean; refresh?: boolean }) => {
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
2 bad arguments, 3 bad config, 4 server unavailable. See ${docPath('scripting.md')}.

Examples:
  mcpsh call db query '{"sql":"select count(*) from customers"}'
  mcpsh call everything echo --arg message=hello
  echo '{"a":1,"b":2}' | mcpsh call everything get-sum -`,
    )
    .addOption(interactiveAuthOption())
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
    .command('resources')
    .description('list the resources and resource templates of every server (or of one)')
    .argument('[server]', 'only this server')
    .option('--json', `print JSON (see ${docPath('scripting.md')})`)
    .addOption(interactiveAuthOption())
    .action(async (server: string | undefined, opts: { json?: boolean }) => {
      const { runResources } = await import('./commands/resources.js');
      process.exitCode = await runResources(server, { ...globals(), ...opts }, io);
    });

  program
    .command('read')
    .description('read one resource of one server and print its text')
    .argument('<server>', 'the server name from the config')
    .argument('<uri>', 'the resource URI (see `mcpsh resources`)')
    .option('--out <file>', 'write the content (text or binary) to this file instead')
    .option('--json', 'print the raw MCP result as JSON')
    .addOption(interactiveAuthOption())
    .action(async (server: string, uri: string, opts: { json?: boolean; out?: string }) => {
      const { runRead } = await import('./commands/read.js');
      process.exitCode = await runRead(server, uri, { ...globals(), ...opts }, io);
    });

  program
    .command('prompts')
    .description('list the prompts of every server (or of one), with their arguments')
    .argument('[server]', 'only this server')
    .option('--json', `print JSON (see ${docPath('scripting.md')})`)
    .addOption(interactiveAuthOption())
    .action(async (server: string | undefined, opts: { json?: boolean }) => {
      const { runPrompts } = await import('./commands/prompts.js');
      process.exitCode = await runPrompts(server, { ...globals(), ...opts }, io);
    });

  program
    .command('prompt')
    .description("get one prompt of one server with arguments and print its messages")
    .argument('<server>', 'the server name from the config')
    .argument('<name>', 'the prompt name (see `mcpsh prompts`)')
    .argument('[args...]', 'arguments as key=value')
    .option('--json', 'print the raw MCP result as JSON')
    .addOption(interactiveAuthOption())
    .action(async (server: string, name: string, args: string[], opts: { json?: boolean }) => {
      const { runPrompt } = await import('./commands/prompt.js');
      process.exitCode = await runPrompt(server, name, args, { ...globals(), ...opts }, io);
    });

  program
    .command('doctor')
    .description('connect and ping every enabled server; report latency, tools, protocol version and problems')
    .option('--json', `print JSON (see ${docPath('scripting.md')})`)
    .addHelpText('after', '\nExit code 0 only when every enabled server is healthy, 9 otherwise.')
    .addOption(interactiveAuthOption())
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

  program
    .command('trust')
    .description('trust a project config (after showing what it would run), or list and revoke trusted configs')
    .argument('[file]', 'the config file (default: the project config found from here)')
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .option('--list', 'list the trusted configs and whether each changed since')
    .option('--revoke', 'forget the trust of the config')
    .option('--json', 'print JSON (with --list)')
    .addHelpText(
      'after',
      `
A config found in the project (not your own file in $XDG_CONFIG_HOME/mcpsh) may start programs, so
mcpsh uses it only after you trust it. Trust is tied to the file's content: after an edit, trust it
again. --trust (or MCPSH_TRUST=1) trusts for one run without recording; --config FILE is always
trusted. See ${docPath('security.md')}.`,
    )
    .action(async (file: string | undefined, opts: { yes?: boolean; list?: boolean; revoke?: boolean; json?: boolean }) => {
      const { runTrust } = await import('./commands/trust.js');
      process.exitCode = await runTrust(file, { ...globals(), ...opts }, io);
    });

  program
    .command('logs')
    .description('show where mcpsh writes its logs (debug, servers\' stderr, audit), or the end of one server\'s log')
    .argument('[server]', 'print the end of this server\'s stderr log')
    .option('-n, --lines <n>', 'how many lines to print (default 50)', parsePositiveInt)
    .option('--json', 'print JSON')
    .action(async (server: string | undefined, opts: { lines?: number; json?: boolean }) => {
      const { runLogs } = await import('./commands/logs.js');
      process.exitCode = await runLogs(server, { ...globals(), ...opts }, io);
    });

  program
    .command('sessions')
    .description('list the saved chats, newest first: id, last active, first prompt, size (continue one with --resume <id>)')
    .option('-n, --limit <n>', 'how many to list (default 20)', parsePositiveInt)
    .option('--json', `print JSON (see ${docPath('scripting.md')})`)
    .addHelpText(
      'after',
      `
Chats are saved as you talk, in $XDG_STATE_HOME/mcpsh/sessions (one JSONL file each, secrets masked).

Examples:
  mcpsh sessions                            the 20 most recent chats
  mcpsh --resume 20260730T140501-k3v9       continue one of them
  mcpsh sessions --json | jq -r '.sessions[0].id'`,
    )
    .action(async (opts: { limit?: number; json?: boolean }) => {
      const { runSessions } = await import('./commands/sessions.js');
      process.exitCode = await runSessions({ ...globals(), ...opts }, io);
    });

  const authCommand = program
    .command('auth')
    .description('sign in to remote servers that use OAuth, sign out, and show where you are signed in')
    .addHelpText('after', `\nTokens are kept per server in $XDG_DATA_HOME/mcpsh/auth (files readable only by you). See ${docPath('auth.md')}.`);
  authCommand
    .command('login')
    .description('sign in to a server in the browser (OAuth 2.1 with PKCE) and store its tokens')
    .argument('<server>', 'the server name from the config')
    .option('--no-browser', 'print the sign-in URL instead of opening a browser')
    .action(async (server: string, opts: { browser?: boolean }) => {
      const { runAuthLogin } = await import('./commands/auth.js');
      process.exitCode = await runAuthLogin(server, { ...globals(), ...opts }, io);
    });
  authCommand
    .command('logout')
    .description("forget a server's stored tokens and client registration")
    .argument('<server>', 'the server name from the config')
    .action(async (server: string) => {
      const { runAuthLogout } = await import('./commands/auth.js');
      process.exitCode = await runAuthLogout(server, globals(), io);
    });
  authCommand
    .command('status')
    .description('for each remote server (or one): signed in or not, issuer, scopes, expiry (never the token)')
    .argument('[server]', 'only this server')
    .option('--json', `print JSON (see ${docPath('auth.md')})`)
    .action(async (server: string | undefined, opts: { json?: boolean }) => {
      const { runAuthStatus } = await import('./commands/auth.js');
      process.exitCode = await runAuthStatus(server, { ...globals(), ...opts }, io);
    });

  const serve = program
    .command('serve')
    .description('run one of the MCP servers that ship with mcpsh (sqlite, crm)');
  addServeSqlite(serve, io);
  addServeCrm(serve, io);

  addMcpCommand(program, io, globals);
  addCompletionCommands(program, io);

  return program;
}

/** Offered by every command that connects servers; without it only stored credentials are used. */
function interactiveAuthOption(): Option {
  return new Option('--interactive-auth', 'let a server that needs OAuth sign-in open the browser (default: only stored credentials; see `mcpsh auth login`)');
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
