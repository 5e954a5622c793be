// The command table: each command's name, arguments, options and help text, and which function of which module
// runs it (imported only when the command runs). src/cli/spec.ts turns the entries into commander commands.
import { Option } from 'commander';
import type { AskOptions } from '../commands/ask.js';
import type { OutputFormat } from '../output/ask-printers.js';
import { docPath } from '../docs-path.js';
import { collect, parsePositiveInt, parseSeconds } from '../options.js';
import { arg, lazy, opt, type CommandSpec } from './spec.js';

/** Offered by every command that connects servers; without it only stored credentials are used. */
export function interactiveAuthOption(): Option {
  return new Option(
    '--interactive-auth',
    'let a server that needs OAuth sign-in open the browser (default: only stored credentials; see `mcpsh auth login`)',
  );
}

const json = (): Option => opt('--json', `print JSON (see ${docPath('scripting.md')})`);
const rawJson = (): Option => opt('--json', 'print the raw MCP result as JSON');
const onlyServer = (): ReturnType<typeof arg> => arg('[server]', 'only this server');
const serverName = (): ReturnType<typeof arg> => arg('<server>', 'the server name from the config');

type JsonFlag = { json?: boolean };

export function commandTable(): CommandSpec[] {
  return [
    {
      name: 'chat',
      isDefault: true,
      description: 'the interactive chat in the terminal (the default: `mcpsh` alone opens it)',
      options: [
        opt('-m, --model <name>', 'the model name (overrides config and MCPSH_MODEL)'),
        opt('--base-url <url>', 'an OpenAI-compatible endpoint (overrides config and OPENAI_BASE_URL)'),
        opt('-A, --agent <name>', 'start with the agent profile agents.<name> (instructions, servers, model)'),
        opt('--max-turns <n>', 'stop a reply after this many model turns (default 20)', parsePositiveInt),
        opt('-r, --resume [id]', 'continue a saved chat (the most recent one without an id); chats are saved as you talk'),
      ],
      allowExcessArguments: true,
      help: `\nKeys, slash commands and approvals: ${docPath('chat.md')}. Without a model it opens in tools-only mode.`,
      action: lazy({
        load: () => import('../commands/chat.js'),
        run: (
          m,
          _args: [],
          opts: { model?: string; baseUrl?: string; agent?: string; maxTurns?: number; resume?: string | boolean },
          { globals, io, program, command },
        ) => {
          const names = program.commands.map((c) => c.name()).filter((n) => n !== 'chat');
          // The chat is interactive: a server that needs OAuth may open the browser step (docs/auth.md).
          return m.runChat(command.args, names, { ...globals, ...opts, interactiveAuth: true }, io);
        },
      }),
    },
    {
      name: 'ask',
      description: 'ask the model once, with the tools of the configured servers; the answer goes to stdout',
      args: [arg('[prompt...]', 'the question; `-` reads it from stdin. Piped stdin is attached to the prompt')],
      options: [
        opt('-m, --model <name>', 'the model name (overrides config and MCPSH_MODEL)'),
        opt('--base-url <url>', 'an OpenAI-compatible endpoint (overrides config and OPENAI_BASE_URL)'),
        opt('-A, --agent <name>', 'use the agent profile agents.<name> (instructions, servers, model)'),
        opt('-s, --server <name>', 'only start and use this server (repeatable)', collect),
        opt('--max-turns <n>', `stop after this many model turns (default 20)`, parsePositiveInt),
        opt('--timeout <seconds>', 'stop the whole run after this long', parseSeconds),
        new Option('-o, --output <format>', 'text, json (one document at the end) or stream-json (one event per line)')
          .choices(['text', 'json', 'stream-json'])
          .default('text'),
        opt('--allow <glob>', 'allow tools matching this glob on server__tool (repeatable)', collect),
        opt('--deny <glob>', 'deny tools matching this glob (repeatable; deny wins)', collect),
        opt('-y, --yes', 'allow every tool call that no deny rule forbids'),
        opt('-v, --verbose', 'show tool calls on stderr even when it is not a terminal'),
        opt('-q, --quiet', 'nothing on stderr but errors'),
        opt('--no-stdin', 'do not read piped stdin'),
        interactiveAuthOption(),
      ],
      help: `
No prompts, ever: a tool call runs only if a permission rule (config "permissions", --allow) allows
it, or with --yes; an "ask" rule counts as deny. Denied calls are told to the model.

Exit codes: 0 answered, 2 usage, 3 config, 4 a required server is unavailable, 6 model/provider
error, 7 turn limit or --timeout reached, 130 interrupted. See ${docPath('scripting.md')}.

Examples:
  mcpsh ask "how many customers are in Hanoi?" --allow 'db__*'
  git diff | mcpsh ask "review this change" --server files --yes
  mcpsh ask -A analyst -o json "top 3 customers by revenue" | jq -r .answer`,
      action: lazy({
        load: () => import('../commands/ask.js'),
        run: (m, [prompt]: [string[]], opts: Omit<AskOptions, 'output'> & { output: OutputFormat }, { globals, io }) =>
          m.runAsk(prompt, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'servers',
      alias: 'status',
      description: 'connect every configured server and show its state, transport, tool count and connect time',
      options: [json(), interactiveAuthOption()],
      action: lazy({
        load: () => import('../commands/servers.js'),
        run: (m, _args: [], opts: JsonFlag, { globals, io }) => m.runServers({ ...globals, ...opts }, io),
      }),
    },
    {
      name: 'tools',
      description: 'list the tools of every server (or of one), by the names the model sees: <server>__<tool>',
      args: [onlyServer()],
      options: [
        opt('--schema', 'show each input schema'),
        json(),
        opt('--refresh', 'also forget the remembered tool lists, so the next `ask` does not start from them'),
        interactiveAuthOption(),
      ],
      action: lazy({
        load: () => import('../commands/tools.js'),
        run: (m, [server]: [string | undefined], opts: { schema?: boolean; json?: boolean; refresh?: boolean }, { globals, io }) =>
          m.runTools(server, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'call',
      description: 'call one tool of one server directly, with no model, and print the result',
      args: [
        serverName(),
        arg('<tool>', 'the tool name as the server names it (or the namespaced <server>__<tool>)'),
        arg('[json-args]', 'the arguments as a JSON object, or - to read them from stdin'),
      ],
      options: [
        opt(
          '-a, --arg <key=value>',
          'one argument (repeatable); values are parsed as JSON when they can be, else taken as strings',
          collect,
        ),
        rawJson(),
        opt('--timeout <seconds>', "override the server's callTimeout", parseSeconds),
        interactiveAuthOption(),
      ],
      help: `
Exit codes: 0 success, 5 the tool reported an error (isError) or the call failed,
2 bad arguments, 3 bad config, 4 server unavailable. See ${docPath('scripting.md')}.

Examples:
  mcpsh call db query '{"sql":"select count(*) from customers"}'
  mcpsh call everything echo --arg message=hello
  echo '{"a":1,"b":2}' | mcpsh call everything get-sum -`,
      action: lazy({
        load: () => import('../commands/call.js'),
        run: (
          m,
          [server, tool, jsonArgs]: [string, string, string | undefined],
          opts: { arg?: string[]; json?: boolean; timeout?: number },
          { globals, io },
        ) => m.runCall(server, tool, jsonArgs, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'resources',
      description: 'list the resources and resource templates of every server (or of one)',
      args: [onlyServer()],
      options: [json(), interactiveAuthOption()],
      action: lazy({
        load: () => import('../commands/resources.js'),
        run: (m, [server]: [string | undefined], opts: JsonFlag, { globals, io }) => m.runResources(server, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'read',
      description: 'read one resource of one server and print its text',
      args: [serverName(), arg('<uri>', 'the resource URI (see `mcpsh resources`)')],
      options: [opt('--out <file>', 'write the content (text or binary) to this file instead'), rawJson(), interactiveAuthOption()],
      action: lazy({
        load: () => import('../commands/read.js'),
        run: (m, [server, uri]: [string, string], opts: { json?: boolean; out?: string }, { globals, io }) =>
          m.runRead(server, uri, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'prompts',
      description: 'list the prompts of every server (or of one), with their arguments',
      args: [onlyServer()],
      options: [json(), interactiveAuthOption()],
      action: lazy({
        load: () => import('../commands/prompts.js'),
        run: (m, [server]: [string | undefined], opts: JsonFlag, { globals, io }) => m.runPrompts(server, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'prompt',
      description: 'get one prompt of one server with arguments and print its messages',
      args: [serverName(), arg('<name>', 'the prompt name (see `mcpsh prompts`)'), arg('[args...]', 'arguments as key=value')],
      options: [rawJson(), interactiveAuthOption()],
      action: lazy({
        load: () => import('../commands/prompt.js'),
        run: (m, [server, name, args]: [string, string, string[]], opts: JsonFlag, { globals, io }) =>
          m.runPrompt(server, name, args, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'doctor',
      description: 'connect and ping every enabled server; report latency, tools, protocol version and problems',
      options: [json(), interactiveAuthOption()],
      help: '\nExit code 0 only when every enabled server is healthy, 9 otherwise.',
      action: lazy({
        load: () => import('../commands/doctor.js'),
        run: (m, _args: [], opts: JsonFlag, { globals, io }) => m.runDoctor({ ...globals, ...opts }, io),
      }),
    },
    {
      name: 'config',
      description: 'print the resolved config and where each part came from, with secrets redacted',
      options: [opt('--json', 'print JSON')],
      action: lazy({
        load: () => import('../commands/config.js'),
        run: (m, _args: [], opts: JsonFlag, { globals, io }) => m.runConfig({ ...globals, ...opts }, io),
      }),
    },
    {
      name: 'init',
      description: 'write a commented starter config (mcp.config.json by default)',
      args: [arg('[file]', 'where to write it', 'mcp.config.json')],
      options: [opt('-f, --force', 'overwrite an existing file')],
      action: lazy({
        load: () => import('../commands/init.js'),
        run: (m, [file]: [string], opts: { force?: boolean }, { globals, io }) => m.runInit(file, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'trust',
      description: 'trust a project config (after showing what it would run), or list and revoke trusted configs',
      args: [arg('[file]', 'the config file (default: the project config found from here)')],
      options: [
        opt('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)'),
        opt('--list', 'list the trusted configs and whether each changed since'),
        opt('--revoke', 'forget the trust of the config'),
        opt('--json', 'print JSON (with --list)'),
      ],
      help: `
A config found in the project (not your own file in $XDG_CONFIG_HOME/mcpsh) may start programs, so
mcpsh uses it only after you trust it. Trust is tied to the file's content: after an edit, trust it
again. --trust (or MCPSH_TRUST=1) trusts for one run without recording; --config FILE is always
trusted. See ${docPath('security.md')}.`,
      action: lazy({
        load: () => import('../commands/trust.js'),
        run: (
          m,
          [file]: [string | undefined],
          opts: { yes?: boolean; list?: boolean; revoke?: boolean; json?: boolean },
          { globals, io },
        ) => m.runTrust(file, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'logs',
      description: "show where mcpsh writes its logs (debug, servers' stderr, audit), or the end of one server's log",
      args: [arg('[server]', "print the end of this server's stderr log")],
      options: [opt('-n, --lines <n>', 'how many lines to print (default 50)', parsePositiveInt), opt('--json', 'print JSON')],
      action: lazy({
        load: () => import('../commands/logs.js'),
        run: (m, [server]: [string | undefined], opts: { lines?: number; json?: boolean }, { globals, io }) =>
          m.runLogs(server, { ...globals, ...opts }, io),
      }),
    },
    {
      name: 'sessions',
      description: 'list the saved chats, newest first: id, last active, first prompt, size (continue one with --resume <id>)',
      options: [opt('-n, --limit <n>', 'how many to list (default 20)', parsePositiveInt), json()],
      help: `
Chats are saved as you talk, in $XDG_STATE_HOME/mcpsh/sessions (one JSONL file each, secrets masked).

Examples:
  mcpsh sessions                            the 20 most recent chats
  mcpsh --resume 20260730T140501-k3v9       continue one of them
  mcpsh sessions --json | jq -r '.sessions[0].id'`,
      action: lazy({
        load: () => import('../commands/sessions.js'),
        run: (m, _args: [], opts: { limit?: number; json?: boolean }, { globals, io }) => m.runSessions({ ...globals, ...opts }, io),
      }),
    },
    {
      name: 'auth',
      description: 'sign in to remote servers that use OAuth, sign out, and show where you are signed in',
      help: `\nTokens are kept per server in $XDG_DATA_HOME/mcpsh/auth (files readable only by you). See ${docPath('auth.md')}.`,
      subcommands: [
        {
          name: 'login',
          description: 'sign in to a server in the browser (OAuth 2.1 with PKCE) and store its tokens',
          args: [serverName()],
          options: [opt('--no-browser', 'print the sign-in URL instead of opening a browser')],
          action: lazy({
            load: () => import('../commands/auth.js'),
            run: (m, [server]: [string], opts: { browser?: boolean }, { globals, io }) =>
              m.runAuthLogin(server, { ...globals, ...opts }, io),
          }),
        },
        {
          name: 'logout',
          description: "forget a server's stored tokens and client registration",
          args: [serverName()],
          action: lazy({
            load: () => import('../commands/auth.js'),
            run: (m, [server]: [string], _opts: object, { globals, io }) => m.runAuthLogout(server, globals, io),
          }),
        },
        {
          name: 'status',
          description: 'for each remote server (or one): signed in or not, issuer, scopes, expiry (never the token)',
          args: [onlyServer()],
          options: [opt('--json', `print JSON (see ${docPath('auth.md')})`)],
          action: lazy({
            load: () => import('../commands/auth.js'),
            run: (m, [server]: [string | undefined], opts: JsonFlag, { globals, io }) =>
              m.runAuthStatus(server, { ...globals, ...opts }, io),
          }),
        },
      ],
    },
  ];
}
